// Check commands of the extension (being written now; registered by extension.ts's activate()).
import type { ExtensionServices } from '../services';

export function registerCheckCommands(services: ExtensionServices): void {
  void services;
}
