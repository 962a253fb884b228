// `ssd init`: create the SSD tables (and the schema) that are missing. Existing tables are left alone.
import { tableExistsSql } from '../db/dialect';
import type { Db } from '../db/types';
import { tablesForSet, type TableSet } from '../model/ssdModel';
import { createSchemaIfMissingSql, createTableIfMissingSql } from './generateDdl';

export interface InitResult {
  schema: string;
  created: string[];
  alreadyPresent: string[];
}

export async function tableExists(db: Db, schema: string, table: string): Promise<boolean> {
  return (await db.query(tableExistsSql(db.dialect), [schema, table])).length > 0;
}

export async function initTables(db: Db, options: { schema?: string; tables?: TableSet } = {}): Promise<InitResult> {
  const schema = options.schema ?? db.defaultSchema;
  const result: InitResult = { schema, created: [], alreadyPresent: [] };
  // One transaction: either every missing table is created or none is.
  await db.transaction(async (tx) => {
    if (schema !== db.defaultSchema) await tx.execute(createSchemaIfMissingSql(db.dialect, schema));
    for (const table of tablesForSet(options.tables ?? 'api')) {
      if ((await tx.query(tableExistsSql(tx.dialect), [schema, table.name])).length > 0) {
        result.alreadyPresent.push(table.name);
        continue;
      }
      await tx.execute(createTableIfMissingSql(db.dialect, schema, table));
      result.created.push(table.name);
    }
  });
  return result;
}
