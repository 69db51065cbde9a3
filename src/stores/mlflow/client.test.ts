// The MLflow client's pure parts: artifact proxy paths, filter quoting, error-code mapping, URL checks.
import { describe, expect, it } from 'vitest';
import { filterString, MlflowApiError, MlflowClient, toDomainError } from './client.js';

describe('MlflowClient.proxyPath', () => {
  it('maps a served run artifact URI, with or without a host, to the proxy path', () => {
    expect(MlflowClient.proxyPath('mlflow-artifacts:/3/abc/artifacts', 'model/model.json')).toBe(
      '3/abc/artifacts/model/model.json',
    );
    expect(
      MlflowClient.proxyPath('mlflow-artifacts://host:5000/3/abc/artifacts/', 'features.json'),
    ).toBe('3/abc/artifacts/features.json');
  });

  it('refuses artifact URIs the tracking server does not serve, naming --serve-artifacts', () => {
    expect(() => MlflowClient.proxyPath('s3://bucket/3/abc/artifacts', 'x')).toThrow(
      /--serve-artifacts/,
    );
  });
});

describe('toDomainError', () => {
  const err = (code: string, message = 'm') => new MlflowApiError(400, code, message, 'x');

  it('turns MLflow codes into stockops codes by what the call was about', () => {
    expect(toDomainError(err('RESOURCE_DOES_NOT_EXIST'), { kind: 'run', id: 'r' })).toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
    expect(
      toDomainError(err('RESOURCE_DOES_NOT_EXIST'), { kind: 'model', what: 'v1' }),
    ).toMatchObject({ code: 'MODEL_NOT_FOUND' });
    expect(
      toDomainError(err('INVALID_PARAMETER_VALUE', 'Changing param values is not allowed'), {
        kind: 'run',
        id: 'r',
      }),
    ).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/write-once/) as unknown });
    expect(toDomainError(err('UNAUTHENTICATED'), { kind: 'other' })).toMatchObject({
      code: 'CONFIG_ERROR',
    });
    expect(toDomainError(err('REQUEST_LIMIT_EXCEEDED'), { kind: 'other' })).toMatchObject({
      code: 'STORE_BUSY',
    });
  });
});

describe('MlflowClient', () => {
  it('needs an http(s) tracking URI', () => {
    expect(() => new MlflowClient({ trackingUri: 'file:///tmp/mlruns' })).toThrow(/http/);
  });

  it('quotes filter values so a quote cannot end the string', () => {
    expect(filterString("O'Neil")).toBe("'O\\'Neil'");
  });
});
