// The value parsers of the pg driver: pgCommon's parsers (dates and timestamps as text, int8 as a
// number when it is safe) over pg's own, in one place for the pool's statements and streams
// (postgresDriver.ts) and for the off-thread reader (pgReadThread.ts), so both give the same values.
import pg from 'pg';
import { pgParsers } from './pgCommon';

export const typeOverrides = {
  getTypeParser(oid: number, format?: string) {
    const p = pgParsers[oid];
    if (p && format !== 'binary') return p;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};
