// route(): answers with the contract's status, and a serving route serialises each answer object once.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { endpoints } from '../../api/index.js';
import type { Prediction } from '../../api/index.js';
import { route } from './route.js';

const prediction = {
  ticker: '^GSPC',
  asOf: '2020-04-17',
  horizon: 1,
  targetDate: '2020-04-20',
  lastClose: 2874.56,
  predictedClose: 2846.85,
  predictedReturn: -0.0097,
  modelVersion: 2,
  model: {
    name: '^GSPC.h1',
    version: 2,
    kind: 'ridge',
    runId: 'r',
    featureSet: 'alpha@1',
    metrics: {},
    servedBecause: 'test',
  },
  baseline: { predictedClose: 2874.56 },
  interval: [{ level: 0.8, lower: 2690, upper: 3013 }],
} as unknown as Prediction;

/** An app with the predict endpoint answering `answers` in turn, and its serializer's calls counted. */
async function app(answers: () => Prediction) {
  const calls = { serialize: 0, stages: [] as number[] };
  const a = Fastify();
  a.setSerializerCompiler(() => (data) => {
    calls.serialize++;
    return JSON.stringify(data);
  });
  route(a, endpoints.predict, () => answers(), {
    onSerialized: (s) => calls.stages.push(s),
  });
  await a.ready();
  return { a, calls };
}

describe('route with serializeOnce', () => {
  it('serialises an answer object once, however often it is answered, with the response schema serializer', async () => {
    const { a, calls } = await app(() => prediction);
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await a.inject({ method: 'GET', url: '/api/predict?ticker=%5EGSPC' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      bodies.push(res.body);
    }
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0] ?? '')).toEqual(prediction);
    expect(calls.serialize).toBe(1);
    // The time is reported for every answer, memoised or not.
    expect(calls.stages).toHaveLength(3);
    await a.close();
  });

  it('serialises each new answer object again', async () => {
    const { a, calls } = await app(() => ({ ...prediction }));
    await a.inject({ method: 'GET', url: '/api/predict?ticker=%5EGSPC' });
    await a.inject({ method: 'GET', url: '/api/predict?ticker=%5EGSPC' });
    expect(calls.serialize).toBe(2);
    await a.close();
  });
});
