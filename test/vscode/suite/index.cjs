// Runs inside VS Code's extension host (loaded by @vscode/test-electron): mocha over this folder's
// *.test.cjs files.
const path = require('node:path');
const fs = require('node:fs');
const Mocha = require('mocha');

exports.run = function run() {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false });
  for (const f of fs.readdirSync(__dirname).filter((x) => x.endsWith('.test.cjs')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
};
