import { toCsv } from '../../web/src/logic/csv';

describe('toCsv (the Seats page export)', () => {
  it('quotes commas, quotes and line breaks, and ends every row with CRLF', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'two\nlines', null, undefined, 3.5]])).toBe('a,"b,c","say ""hi""","two\nlines",,,3.5\r\n');
  });

  it('defuses spreadsheet formulas in text cells, never in numbers', () => {
    expect(toCsv([['=HYPERLINK("http://x")', '+1', '-cmd', '@SUM(A1)', -5, 'ok']])).toBe(`"'=HYPERLINK(""http://x"")",'+1,'-cmd,'@SUM(A1),-5,ok\r\n`);
  });
});
