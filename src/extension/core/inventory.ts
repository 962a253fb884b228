// The tree's database reads now live in src/browse/inventory.ts (below the editor, so the SQL
// catalogue can record them). This re-export keeps src/extension/tree.ts, which is being reworked
// on another branch, compiling unchanged; import from src/browse/inventory.ts in new code.
export * from '../../browse/inventory';
