// docs/check-rules.md, generated from the rule definitions (src/check/rules.ts). Regenerate with
//   npx tsx src/check/writeRulesDoc.ts
// A unit test fails when the committed file is out of date.
import { BUILDER_TABLES, STAGING_TABLES } from '../model/ssdModel';
import { RULES } from './rules';
import type { RuleDoc } from './types';

const HEADER = `# \`ssd check\`: rules and output

<!-- GENERATED from src/check/rules.ts by src/check/writeRulesDoc.ts: edit the rules, not this file. -->

\`ssd check\` tells you whether an SSD is fit to build DfE children's social care API payloads
from, before you build them: table by table, with counts and example ids.

\`\`\`
ssd check --db URL [--schema S] [--as-of YYYY-MM-DD] [--json] [--list-rules] [--no-progress] [--parallel N]
\`\`\`

| Option | Meaning |
|---|---|
| \`--db URL\` (or \`SSD_DB\`) | the database: \`pglite:memory\`, \`pglite:<dir>\`, \`postgres://…\`, \`mssql://…\` or a SQL Server connection string |
| \`--schema S\` (or \`SSD_SCHEMA\`) | schema holding the SSD tables (default \`public\` / \`dbo\`; SystemC deploys into \`ssd_development\`). Matched case-insensitively. |
| \`--as-of YYYY-MM-DD\` | the date "future" and the reporting window are relative to (default: today). The window is 1 April of the financial year containing as-of − 24 months, to as-of + 1 day, as the payload builder uses. |
| \`--json\` | print the report as JSON (shape below) instead of text |
| \`--list-rules\` | print the rule catalogue and exit (with \`--json\`: the full documentation of every rule) |
| \`--no-progress\` | no progress line on stderr (it is only shown on a terminal anyway) |
| \`--parallel N\` | tables checked at the same time, each on a pooled connection of its own (1 to 4, default 2); \`--parallel 1\` runs one statement at a time. The report is the same; only the time changes. The embedded database and the SQL Server extension's connection always run one. |

**Exit codes:** 0 no errors (warnings and infos allowed), 1 at least one error, 2 bad usage or no connection.

## What is checked, and how

1. **Schema** against the project's SSD model: each of the 19 tables the payload builder reads is
   present; each column it reads is present; each column's type is of the model's kind for the
   dialect (a date held as text is a warning); the staging tables, when present, have every column
   of the upstream DDL. Table, column and schema names are compared case-insensitively.
2. **Data**, pushed to the database as set-based SQL: per table one \`SELECT\` counts every row rule
   (\`SUM(CASE WHEN … THEN 1 ELSE 0 END)\`), then one query fetches up to 5 example ids for the rules
   that fired; each link (orphan) and duplicate rule is one anti-join or \`GROUP BY … HAVING\`
   query; values SQL cannot test portably (UPN check letters, JSON, postcodes) are streamed once per
   table as id + the one or two columns needed and tested in JS. There are no per-row round trips.
3. **Cohort**: the payload cohort is computed in SQL to find children who would get a payload
   with no social care episode.

A rule whose table or column is missing, or whose column has a type it cannot test (a date held as
text), is not run: it is reported as an info finding \`SSD-SCHEMA-006\` naming the rule, never a
crash. The professionals' registration-number rules only look at professionals with at least one
involvement (as the upstream pre-flight view does) when ssd_involvements is present.

**Severity.** *error*: the builder cannot run, or a child's payload will be invalid (staged with
\`submission_status\` \`Withheld\` and the reason in \`api_response\`, kept out of every send queue), or
data is silently missing from every payload. *warning*: the payload is sent but is
probably wrong or incomplete. *info*: for your attention only.

**Privacy.** Findings hold rule ids, table and column names, counts and up to 5 primary-key ids
(quoted in the text output, so that an empty id shows as \`''\`). Never names, dates of birth or any
other value.

## Output

The text output lists every table in model order with its row count and its findings (severity,
rule id, column, count, what, example ids and a one-line fix), and ends with one verdict line:
\`Not fit to build every payload: 3 errors: at least 1 child affected, …\` (errors in the data: the
children they concern, counted where the check can, may be withheld by Build Staging; the others'
payloads build), \`Not fit to build payloads: … structure error …\` (a missing table or column stops
every payload), \`Fit to build payloads, with N warnings to review.\` or
\`Fit to build payloads: no errors or warnings.\` Findings about children carry their person ids
(\`personIds\`, the example rows' \`*_person_id\`) and, where counted, \`children\`.

### JSON (\`--json\`)

A stable shape (\`formatVersion\` 1; fields are only added, never renamed or removed, within a version).
The TypeScript types are \`CheckReport\` and \`CheckFinding\` in \`src/check/types.ts\`.

\`\`\`jsonc
{
  "formatVersion": 1,
  "tool": "ssd check",
  "database": "PostgreSQL me@localhost:5432/la",   // never a password
  "dialect": "postgres",                            // or "mssql"
  "schema": "ssd_development",                      // as the database spells it
  "asOf": "2026-11-25",
  "window": { "start": "2024-04-01", "end": "2026-11-26" },
  "startedAt": "2026-11-25T07:00:00.000Z",
  "elapsedMs": 2150,
  "summary": { "errors": 3, "warnings": 12, "infos": 2, "rulesRun": 156, "rulesSkipped": 0 },
  "verdict": "not-fit",                             // "fit" | "fit-with-warnings" | "not-fit"
  "verdictText": "Not fit to build payloads: 3 errors, 12 warnings. Fix the errors first.",
  "tables": [
    { "table": "ssd_person", "present": true, "actualName": "ssd_person", "rows": 100000,
      "role": "builder", "errors": 1, "warnings": 2, "infos": 0 }
    // … every builder table, then the two staging tables ("role": "staging")
  ],
  "findings": [
    { "ruleId": "SSD-PERS-006", "severity": "error", "category": "data",
      "table": "ssd_person", "column": "pers_upn", "count": 12,
      "examples": ["100234", "100871"],             // up to 5 primary-key ids
      "message": "12 rows: pers_upn is not 13 letters or digits",
      "fix": "Trim and correct the UPN in the SSD extract …" },
    { "ruleId": "SSD-SCHEMA-006", "severity": "info", "category": "schema",
      "table": "ssd_sdq_scores", "column": "csdq_sdq_score", "count": 0, "examples": [],
      "message": "SSD-SDQ-003 not run: table ssd_sdq_scores is missing",
      "fix": "…", "skippedRule": "SSD-SDQ-003" }
  ]
}
\`\`\`

- \`findings\` are ordered by table (model order), then severity (error, warning, info), then rule id.
- \`column\` is the model's (lower-case) column name, or \`null\` for a table-level finding.
- \`count\` counts rows unless the rule says otherwise (duplicate keys count key values; some rules
  count people, children or assessments; schema findings count 1).
- \`skippedRule\` is present only on \`SSD-SCHEMA-006\` findings.

From code: \`runChecks(db, { schema, asOf, onProgress, signal })\` in \`src/check/runChecks.ts\`
returns the same \`CheckReport\`; \`ruleDocs()\` in \`src/check/rules.ts\` returns the catalogue below.
`;

function esc(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function ruleSection(r: RuleDoc): string[] {
  const where = r.table === '*' ? 'any table' : `\`${r.table}\`${r.column && r.column !== '*' ? `.\`${r.column}\`` : ''}`;
  return [
    `### ${r.id}: ${r.title}`,
    '',
    `- **Severity:** ${r.severity} · **Where:** ${where}${r.source ? ` · **Source:** ${r.source}` : ''}`,
    `- **What:** ${r.what}`,
    `- **Why it matters for the payload:** ${r.why}`,
    `- **How to fix:** ${r.fix}`,
    '',
  ];
}

export function renderRulesDoc(): string {
  const lines: string[] = [HEADER, '## Rules', ''];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of RULES) counts[r.severity]++;
  lines.push(`${RULES.length} rules: ${counts.error} of severity error, ${counts.warning} warning, ${counts.info} info.`, '');
  lines.push('| Id | Severity | Table | Column | Title |', '|---|---|---|---|---|');
  for (const r of RULES) lines.push(`| [${r.id}](#${r.id.toLowerCase()}-${slug(r.title)}) | ${r.severity} | ${r.table} | ${r.column ?? ''} | ${esc(r.title)} |`);
  lines.push('');
  const order = ['*', ...BUILDER_TABLES.map((t) => t.name), ...STAGING_TABLES.map((t) => t.name)];
  const groups = new Map<string, RuleDoc[]>();
  for (const r of RULES) groups.set(r.table, [...(groups.get(r.table) ?? []), r]);
  for (const t of order) {
    const rs = groups.get(t);
    if (!rs) continue;
    lines.push(`## ${t === '*' ? 'Schema' : t}`, '');
    for (const r of rs) lines.push(...ruleSection(r));
  }
  return (
    lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}

/** GitHub's heading anchor for "ID: title" after the id part. */
function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');
}
