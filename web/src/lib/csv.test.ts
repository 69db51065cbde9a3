// toCsv: the forecast log export quotes what needs quoting and leaves missing values empty.
import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, and leaves missing values empty', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          [1.5, 'x,y', null],
          ['say "hi"', undefined, true],
        ],
      ),
    ).toBe('a,b,c\r\n1.5,"x,y",\r\n"say ""hi""",,true\r\n');
  });
});
