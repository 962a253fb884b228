import { Command, Option } from 'commander';
import { action, dbOption, EXIT, jsonOption, out, parseSchema, printJson, schemaOption, UsageError, withDb } from '../cliSupport/common';
import { initTables } from './initTables';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create the SSD tables that are missing (existing tables are left as they are)')
    .addOption(dbOption())
    .addOption(schemaOption())
    .addOption(new Option('--tables <set>', 'which tables: api (the 19 the payload builder reads) or all (every SSD table)').choices(['api', 'all']).default('api'))
    .addOption(jsonOption())
    .addHelpText('after', '\nExamples:\n  ssd init --db pglite:./ssd-db\n  ssd init --db postgres://me@localhost/la --schema ssd_development --tables all\n\nRunning it again changes nothing.')
    .action(
      action(async (opts: { db?: string; schema?: string; tables: 'api' | 'all'; json?: boolean }) => {
        const schema = parseSchema(opts.schema);
        if (opts.tables !== 'api' && opts.tables !== 'all') throw new UsageError('--tables must be api or all');
        const r = await withDb(opts, (db) => initTables(db, { schema, tables: opts.tables }), { create: true });
        if (opts.json) printJson(r);
        else {
          out(`schema ${r.schema}: created ${r.created.length} table(s), ${r.alreadyPresent.length} already present`);
          for (const t of r.created) out(`  + ${t}`);
        }
        return EXIT.OK;
      }),
    );
}
