// Code lists and limits the checks compare against. Limits follow the payload contract
// (../shared/spec/payload-contract.md, Validation) and upstream-api-pipeline.md Appendix A;
// code lists are the DfE lists used by the CIN census and the SSDA903 return.
// The payload builder upper-cases code fields against these same lists (contract amendment
// 2026-12-05), so checks and builder agree; the fake data's lists (src/fake/codes.ts) are subsets
// (test/unit/check/codeLists.test.ts), and the assessment factor list is the fake data's own.
import { ASSESSMENT_FACTORS } from '../fake/codes';

export const LIMITS = {
  /** la_child_id: the builder casts to varchar(20) since the 2026-06 schema change (Appendix A). */
  laChildId: 20,
  misChildId: 36,
  entityId: 36,
  workerId: 12,
  upn: 13,
  names: 128,
  postcode: 8,
  referralSource: 2,
  closureReason: 3,
  startReason: 1,
  endReason: 3,
  placementType: 2,
  changeReason: 6,
  careLeaverActivity: 2,
  careLeaverAccommodation: 1,
  disabilities: 12,
  factors: 41,
  sdqMin: 0,
  sdqMax: 40,
} as const;

/** CIN census referral source codes (after the builder's coercion, §2.4). */
export const REFERRAL_SOURCES = ['1A', '1B', '1C', '1D', '1E', '1F', '2A', '2B', '3A', '3B', '3C', '3D', '3E', '3F', '4', '5A', '5B', '5C', '5D', '6', '7', '8', '9', '10'];

/** CIN census reason for closure. */
export const CLOSURE_REASONS = ['RC1', 'RC2', 'RC3', 'RC4', 'RC5', 'RC6', 'RC7', 'RC8', 'RC9'];

/** Disability codes the payload accepts (Appendix A). */
export const DISABILITY_CODES = ['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'];

/** DfE ethnicity codes (school census / CIN census extended list main codes). */
export const ETHNICITY_CODES = ['WBRI', 'WIRI', 'WIRT', 'WOTH', 'WROM', 'MWBC', 'MWBA', 'MWAS', 'MOTH', 'AIND', 'APKN', 'ABAN', 'AOTH', 'BCRB', 'BAFR', 'BOTH', 'CHNE', 'OOTH', 'REFU', 'NOBT'];

/** Care leaver activity (pre-flight #26). */
export const CARE_LEAVER_ACTIVITY = ['F1', 'P1', 'F2', 'P2', 'F4', 'P4', 'F5', 'P5', 'G4', 'G5', 'G6'];

/** Care leaver accommodation (pre-flight #27). */
export const CARE_LEAVER_ACCOMMODATION = ['B', 'C', 'D', 'E', 'G', 'H', 'K', 'R', 'S', 'T', 'U', 'V'];

/** SSDA903 placement types. */
export const PLACEMENT_TYPES = ['A3', 'A4', 'A5', 'A6', 'H5', 'K1', 'K2', 'P1', 'P2', 'P3', 'R1', 'R2', 'R3', 'R5', 'S1', 'T0', 'T1', 'T2', 'T3', 'T4', 'U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'Z1'];

/** SSDA903 reason for new episode (the payload's start_reason, first character). */
export const START_REASONS = ['S', 'L', 'P', 'T', 'U', 'B', 'V', 'E'];

/** SSDA903 reason episode ceased (the payload's end_reason). */
export const END_REASONS = ['E11', 'E12', 'E13', 'E14', 'E15', 'E16', 'E17', 'E2', 'E3', 'E41', 'E45', 'E46', 'E47', 'E48', 'E4A', 'E4B', 'E5', 'E6', 'E7', 'E8', 'E9', 'X1'];

/** SSDA903 reason for placement change. */
export const CHANGE_REASONS = ['CARPL', 'CLOSE', 'ALLEG', 'STAND', 'APPRR', 'CREQB', 'CREQO', 'CHILD', 'LAREQ', 'PLACE', 'CUSTOD', 'OTHER'];

/** Values the builder reads as a yes/no flag (NFA, ICPC required), upper-cased and trimmed. */
export const FLAG_VALUES = ['Y', 'N', 'T', 'F', '1', '0', 'TRUE', 'FALSE'];

/** CIN census assessment factor codes (1A … 24A): the one list the payload builder checks factor items against. */
export const ASSESSMENT_FACTOR_CODES: readonly string[] = ASSESSMENT_FACTORS.map((e) => e.code);

/** Shape of a CIN census assessment factor code: 1-2 digits, optionally a letter (1C, 21, 24A). */
export const FACTOR_CODE = /^[0-9]{1,2}[A-Z]?$/;

/** UK postcode (upper case, single optional space), e.g. SW1A 1AA, M1 1AE, B33 8TH. */
export const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/;

/** Payload id pattern (contract: ^[A-Za-z0-9_-]+$). */
export const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** The UPN-unknown reason codes UN1…UN10. */
export const UPN_UNKNOWN_CODES: readonly string[] = Array.from({ length: 10 }, (_, i) => `UN${i + 1}`);
