import { describe, expect, it } from '@jest/globals';
import { LineSplitter, RecentLines } from './output.js';

describe('LineSplitter', () => {
  const collect = (chunks: string[], end = true) => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    for (const chunk of chunks) splitter.push(chunk);
    if (end) splitter.end();
    return lines;
  };

  it('joins a line split across chunks', () => {
    expect(collect(['{"msg":"he', 'llo"}\n{"msg":"x"}\n'])).toEqual(['{"msg":"hello"}', '{"msg":"x"}']);
  });

  it('holds back an unfinished line until the stream ends', () => {
    expect(collect(['a\nb'], false)).toEqual(['a']);
    expect(collect(['a\nb'])).toEqual(['a', 'b']);
  });

  it('keeps empty lines and drops carriage returns', () => {
    expect(collect(['a\r\n\nb\n'])).toEqual(['a', '', 'b']);
  });
});

describe('RecentLines', () => {
  it('keeps only the last lines', () => {
    const recent = new RecentLines(2);
    for (const line of ['1', '2', '3']) recent.add(line);
    expect(recent.all()).toEqual(['2', '3']);
  });
});
