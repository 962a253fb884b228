// Regenerate docs/check-rules.md from the rule definitions: npx tsx src/check/writeRulesDoc.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from './rulesDoc';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'check-rules.md');
writeFileSync(target, renderRulesDoc());
process.stdout.write(`wrote ${target}\n`);
