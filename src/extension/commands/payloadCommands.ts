// Payload commands of the extension (being written now; registered by extension.ts's activate()).
import type { ExtensionServices } from '../services';

export function registerPayloadCommands(services: ExtensionServices): void {
  void services;
}
