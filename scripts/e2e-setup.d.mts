// Types of scripts/e2e-setup.mjs for the TypeScript e2e suite (test/e2e/helpers/workbench.ts).
export declare const CODE_SERVER_VERSION: string;
export declare const REPO_DIR: string;
export declare function cacheDir(): string;
export interface CodeServerPaths { root: string; pkg: string; entry: string; vscode: string; ready: string }
export declare function codeServerPaths(root?: string): CodeServerPaths;
export declare function findChromium(): string | undefined;
export declare function skipReason(): string | undefined;
export declare function ensureCodeServer(): CodeServerPaths;
export declare function packageVsix(): string;
