import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '@vista/contracts';
import { parseLotRowsCsv } from './lot-rows-csv.js';

const MODEL = '00000000-0000-4000-8000-00000000000a';
const HEADER = 'lotId,product,processStep,equipment,waferCount,setupModelId,note,factor.temperature,factor.pressure';

const issuesOf = (csv: string) => {
  try {
    parseLotRowsCsv(csv);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues ?? [];
  }
  throw new Error('expected the CSV to be refused');
};

describe('parseLotRowsCsv', () => {
  it('reads rows with their line numbers, factors as numbers and empty cells as not given', () => {
    const rows = parseLotRowsCsv(`${HEADER}\nA1,DRAM,ETCH-120,EQ-7,25,${MODEL},hot lot,350.5,2\nA2,DRAM,ETCH-120,EQ-7,24,${MODEL},,1e2,`);
    expect(rows).toEqual([
      {
        line: 2,
        row: expect.objectContaining({ lotId: 'A1', waferCount: 25, setupModelId: MODEL, note: 'hot lot', factors: { temperature: 350.5, pressure: 2 } }),
      },
      { line: 3, row: expect.objectContaining({ lotId: 'A2', waferCount: 24, factors: { temperature: 100 } }) },
    ]);
    expect(rows[1]!.row.note).toBeUndefined();
  });

  it('reports every bad line by number and field, and returns nothing', () => {
    const issues = issuesOf(
      `${HEADER}\nA1,DRAM,ETCH-120,EQ-7,25,${MODEL},,350,2\nA2,DRAM,ETCH-120,EQ-7,lots,${MODEL},,350,2\nA3,DRAM,,EQ-7,25,not-a-uuid,,hot,2`,
    );
    expect([...new Set(issues.map((i) => i.path))]).toEqual([
      'line 3: waferCount',
      'line 4: factor.temperature',
      'line 4: processStep',
      'line 4: setupModelId',
    ]);
  });

  it('refuses a header without a required column, with an unknown one, or twice the same', () => {
    expect(issuesOf('lotId,product,processStep,equipment,waferCount\nA1,DRAM,ETCH,EQ,25').map((i) => i.message)).toEqual([
      'the header lacks the column setupModelId',
    ]);
    expect(issuesOf(`${HEADER},colour\nA1,DRAM,ETCH,EQ,25,${MODEL},,1,2,red`).map((i) => i.message)).toEqual([
      'unknown column colour (factor columns are named factor.<name>)',
    ]);
    expect(issuesOf(`${HEADER},lotId\nA1,DRAM,ETCH,EQ,25,${MODEL},,1,2,A1`).map((i) => i.message)).toEqual(['the column lotId appears twice']);
  });

  it('refuses an empty file, a header alone and a ragged line', () => {
    expect(issuesOf('')[0]).toMatchObject({ path: 'csv' });
    expect(issuesOf(HEADER)[0]).toMatchObject({ path: 'csv', message: expect.stringContaining('at least one row') });
    expect(issuesOf(`${HEADER}\nA1,DRAM`)[0]!.message).toMatch(/column|record/i);
  });
});
