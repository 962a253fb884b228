// Moved to src/model/dfeCodes.ts and src/model/identifiers.ts (one module of DfE code lists, limits
// and identifier rules for checks, payload builder, schema and fake data); re-exported so imports
// of this path keep working.
export {
  LIMITS,
  REFERRAL_SOURCES,
  CLOSURE_REASONS,
  DISABILITY_CODES,
  ETHNICITY_CODES,
  CARE_LEAVER_ACTIVITY,
  CARE_LEAVER_ACCOMMODATION,
  PLACEMENT_TYPES,
  START_REASONS,
  END_REASONS,
  CHANGE_REASONS,
  FLAG_VALUES,
  ASSESSMENT_FACTOR_CODES,
  FACTOR_CODE,
  UPN_UNKNOWN_CODES,
} from '../model/dfeCodes';
export { POSTCODE, ID_PATTERN } from '../model/identifiers';
