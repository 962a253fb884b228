// Moved to src/model/identifiers.ts (identifier rules shared by checks and fake data); re-exported
// so imports of this path keep working.
export { UPN_CHECK_LETTERS, upnCheckLetter, makeUpn, upnProblem, isValidUpn, isTemporaryUpn, upnFromParts, type UpnProblem } from '../model/identifiers';
