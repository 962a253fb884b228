// In desktop VS Code: the extension is found, activates without error, and every command it
// contributes is registered (a command in package.json without a handler fails here).
const assert = require('node:assert/strict');
const vscode = require('vscode');
const pkg = require('../../../package.json');

const ID = `${pkg.publisher}.${pkg.name}`;

describe('SSD Workbench in desktop VS Code', () => {
  it('is installed as the extension under development', () => {
    const ext = vscode.extensions.getExtension(ID);
    assert.ok(ext, `extension ${ID} not found`);
    assert.equal(ext.packageJSON.version, pkg.version);
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(ID);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = pkg.contributes.commands.map((c) => c.command).filter((c) => !registered.has(c));
    assert.deepEqual(missing, []);
  });

  it('runs a harmless command: Show Log', async () => {
    await vscode.commands.executeCommand('ssd.showLog');
  });
});
