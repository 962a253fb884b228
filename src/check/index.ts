// Public API of `ssd check` for the CLI and the extension (pure: never imports 'vscode').
//   runChecks(db, { schema, asOf, onProgress, signal }) → CheckReport
//   ruleDocs() → the documentation of every rule (for hovers / a rule reference view)
//   formatReport(report) → the text output, line by line
export { runChecks } from './runChecks';
export { ruleDocs, getRule } from './rules';
export { formatReport } from './format';
export type { CheckFinding, CheckOptions, CheckProgress, CheckReport, RuleCategory, RuleDoc, Severity, TableSummary, Verdict } from './types';
export { personColumn, childrenOfFindings, verdictLine } from './people';
