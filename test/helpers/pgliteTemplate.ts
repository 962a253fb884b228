// Loaded by .mocharc.json: the test suites open hundreds of in-memory embedded databases
// (`pglite:memory`, forEachTarget's PGlite target); each one would run initdb (seconds on the 2-core
// machine). With the template on, the first one's fresh image is loaded by the rest instead
// (src/db/pgliteDriver.ts). Every database still starts empty and separate. SSD_PGLITE_TEMPLATE=0
// turns it off (e.g. to time the difference).
import { usePgliteMemoryTemplate } from '../../src/db/pgliteDriver';

usePgliteMemoryTemplate(process.env.SSD_PGLITE_TEMPLATE !== '0');
