// SQL Server driver: being written (issue #2). Replaced by the mssql/tedious implementation.
import type { MssqlSpec } from './connectionSpec';
import { ConnectionError, type Db } from './types';
export class MssqlDb {
  static async open(_spec: MssqlSpec, description: string): Promise<Db> {
    throw new ConnectionError(`cannot connect to ${description}: SQL Server driver not built yet`);
  }
}
