// The DfE code lists and limits, in one place: what the checks accept, what the payload builder
// upper-cases code fields against (contract amendment 2026-12-05), what the DfE JSON Schema's enums
// and maxLengths say (test/unit/model/dfeCodes.test.ts keeps src/payload/dfePayload.schema.json
// equal to this module), and the lists the fake data draws from.
//
// Two kinds of list:
// - accepted codes (string arrays, and LIMITS): the rules. Limits follow the payload contract
//   (docs/payload.md "Validation") and the community API pipeline's field lengths
//   (docs/upstream.md); code lists are the DfE lists used by the CIN census and the SSDA903 return.
// - code entries (*_ENTRIES: code, description and a weight giving a realistic mix in fake data):
//   CIN census (referral source, closure reasons, assessment factors, UPN unknown reasons),
//   SSDA903 (placement types, episode start and end reasons, placement change reasons, care leaver
//   activity and accommodation), ethnicity and disability codes. Every code an entry list can
//   generate is one of the accepted codes (test/unit/check/codeLists.test.ts). Lists used for care
//   leavers follow the API pre-flight lists (docs/upstream.md), so that clean fake data never
//   breaks a check the API makes.
//
// Identifier rules (UPN check letter, postcode shape, payload id characters): ./identifiers.ts.

// ---------------------------------------------------------------------------------------------
// Accepted codes and limits

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

/** Shape of a CIN census assessment factor code: 1-2 digits, optionally a letter (1C, 21, 24A). */
export const FACTOR_CODE = /^[0-9]{1,2}[A-Z]?$/;

/** The UPN-unknown reason codes UN1…UN10. */
export const UPN_UNKNOWN_CODES: readonly string[] = Array.from({ length: 10 }, (_, i) => `UN${i + 1}`);

// ---------------------------------------------------------------------------------------------
// Code entries (code, description, fake-data weight)

export interface CodeEntry {
  readonly code: string;
  readonly description: string;
  /** Relative frequency in the fake data (0 = listed but never generated). */
  readonly weight: number;
}

const list = (rows: readonly (readonly [string, string, number])[]): readonly CodeEntry[] => rows.map(([code, description, weight]) => ({ code, description, weight }));

/** CIN census referral source (cine_referral_source_code). */
export const REFERRAL_SOURCE_ENTRIES = list([
  ['1A', 'Individual: family member, relative or carer', 4],
  ['1B', 'Individual: acquaintance (including neighbours and child minders)', 1],
  ['1C', 'Individual: self', 1.5],
  ['1D', 'Individual: other', 1],
  ['2A', 'Schools', 18],
  ['2B', 'Education services', 2],
  ['3A', 'Health services: GP', 2],
  ['3B', 'Health services: health visitor', 3],
  ['3C', 'Health services: school nurse', 1],
  ['3D', 'Health services: other primary health services', 2],
  ['3E', 'Health services: A&E', 3],
  ['3F', 'Health services: other', 4],
  ['4', 'Housing', 2],
  ['5A', 'LA services: social care, e.g. adult social care', 6],
  ['5B', 'LA services: other internal', 3],
  ['5C', 'LA services: external, e.g. from another LA', 2],
  ['5D', 'LA services: other', 1],
  ['6', 'Police', 29],
  ['7', 'Other legal agency', 3],
  ['8', 'Other', 5],
  ['9', 'Anonymous', 2],
  ['10', 'Unknown', 1],
]);

/** CIN census reason for closure (cine_close_reason). */
export const CLOSURE_REASON_ENTRIES = list([
  ['RC1', 'Adopted', 0],
  ['RC2', 'Died', 0],
  ['RC3', 'Child arrangements order', 0],
  ['RC4', 'Special guardianship order', 0],
  ['RC5', 'Transferred to services of another local authority', 3],
  ['RC6', 'Transferred to adult social care services', 0],
  ['RC7', 'Services ceased for any other reason, including child no longer in need', 45],
  ['RC8', 'Case closed after assessment, no further action', 30],
  ['RC9', 'Case closed after assessment, referred to early help', 22],
]);

/** CIN census assessment factors (cinf_assessment_factors_json items). */
export const ASSESSMENT_FACTOR_ENTRIES = list([
  ['1A', 'Alcohol misuse: concerns about the child', 1],
  ['1B', 'Alcohol misuse: concerns about the parent or carer', 6],
  ['1C', 'Alcohol misuse: concerns about another person in the household', 2],
  ['2A', 'Drug misuse: concerns about the child', 2],
  ['2B', 'Drug misuse: concerns about the parent or carer', 7],
  ['2C', 'Drug misuse: concerns about another person in the household', 2],
  ['3A', 'Domestic abuse: concerns about the child being the subject', 5],
  ['3B', 'Domestic abuse: concerns about the parent or carer being the subject', 14],
  ['3C', 'Domestic abuse: concerns about another person in the household being the subject', 4],
  ['4A', 'Mental health: concerns about the child', 12],
  ['4B', 'Mental health: concerns about the parent or carer', 16],
  ['4C', 'Mental health: concerns about another person in the household', 3],
  ['5A', 'Learning disability: concerns about the child', 3],
  ['5B', 'Learning disability: concerns about the parent or carer', 2],
  ['5C', 'Learning disability: concerns about another person in the household', 1],
  ['6A', 'Physical disability or illness: concerns about the child', 2],
  ['6B', 'Physical disability or illness: concerns about the parent or carer', 2],
  ['6C', 'Physical disability or illness: concerns about another person in the household', 1],
  ['7A', 'Young carer', 1],
  ['8B', 'Private fostering: child from abroad living temporarily with a relative', 0.2],
  ['8C', 'Private fostering: UK child living temporarily with a relative', 0.2],
  ['8D', 'Private fostering: child from abroad living with a non-relative', 0.2],
  ['8E', 'Private fostering: UK child living with a non-relative', 0.2],
  ['8F', 'Private fostering: other', 0.2],
  ['9A', 'Unaccompanied asylum-seeking child', 0.5],
  ['10A', 'Going or being missing', 3],
  ['11A', 'Child sexual exploitation', 2],
  ['12A', 'Trafficking', 0.3],
  ['13A', 'Gangs', 1],
  ['14A', 'Socially unacceptable behaviour', 3],
  ['15A', 'Self-harm', 3],
  ['16A', 'Abuse or neglect: neglect', 9],
  ['17A', 'Abuse or neglect: emotional abuse', 10],
  ['18B', 'Abuse or neglect: physical abuse by an adult', 5],
  ['18C', 'Abuse or neglect: physical abuse by another child', 1],
  ['19B', 'Abuse or neglect: sexual abuse by an adult', 2],
  ['19C', 'Abuse or neglect: sexual abuse by another child', 1],
  ['20', 'Other', 4],
  ['21', 'No factors identified', 0],
  ['22A', 'Female genital mutilation', 0.2],
  ['23A', 'Abuse linked to faith or belief', 0.2],
  ['24A', 'Child criminal exploitation', 1.5],
]);

/** Ethnicity (pers_ethnicity): DfE/ONS codes. */
export const ETHNICITY_ENTRIES = list([
  ['WBRI', 'White British', 620],
  ['WIRI', 'White Irish', 3],
  ['WIRT', 'Traveller of Irish heritage', 5],
  ['WOTH', 'Any other White background', 45],
  ['WROM', 'Gypsy/Roma', 4],
  ['MWBC', 'White and Black Caribbean', 25],
  ['MWBA', 'White and Black African', 10],
  ['MWAS', 'White and Asian', 10],
  ['MOTH', 'Any other mixed background', 30],
  ['AIND', 'Indian', 15],
  ['APKN', 'Pakistani', 25],
  ['ABAN', 'Bangladeshi', 10],
  ['AOTH', 'Any other Asian background', 15],
  ['BCRB', 'Black Caribbean', 10],
  ['BAFR', 'Black African', 40],
  ['BOTH', 'Any other Black background', 10],
  ['CHNE', 'Chinese', 2],
  ['OOTH', 'Any other ethnic group', 25],
  ['REFU', 'Refused', 8],
  ['NOBT', 'Information not yet obtained', 35],
]);

/** Disability (disa_disability_code). NONE is stored explicitly by some systems. */
export const DISABILITY_ENTRIES = list([
  ['NONE', 'No disability', 0],
  ['MOB', 'Mobility', 6],
  ['HAND', 'Hand function', 3],
  ['PC', 'Personal care', 5],
  ['INC', 'Incontinence', 3],
  ['COMM', 'Communication', 14],
  ['LD', 'Learning', 18],
  ['HEAR', 'Hearing', 4],
  ['VIS', 'Vision', 3],
  ['BEH', 'Behaviour', 16],
  ['CON', 'Consciousness', 3],
  ['AUT', 'Autism or Asperger syndrome', 22],
  ['DDA', 'Other DDA', 5],
]);

/**
 * Reasons a child has no UPN (pers_upn_unknown). The API accepts UN1-UN10; the fake data uses the
 * ones whose meaning is stable across CIN census guide versions (UN6 and UN8-UN10 are listed for
 * validation only; see the DfE CIN census guide for their current wording).
 */
export const UPN_UNKNOWN_REASON_ENTRIES = list([
  ['UN1', 'Child is aged under 6 years old and is not yet attending school', 0],
  ['UN2', 'Child has never attended a school in England and so has never been assigned a UPN', 3],
  ['UN3', 'Child is educated at home', 2],
  ['UN4', 'Child is newly arrived from overseas and has not yet been assigned a UPN', 2],
  ['UN5', "Sources that collate UPNs do not hold this child's UPN", 3],
  ['UN6', 'UPN unknown reason UN6 (CIN census guide)', 0],
  ['UN7', 'Referral with no further action', 2],
  ['UN8', 'UPN unknown reason UN8 (CIN census guide)', 0],
  ['UN9', 'UPN unknown reason UN9 (CIN census guide)', 0],
  ['UN10', 'UPN unknown reason UN10 (CIN census guide)', 0],
]);

/** SSDA903 placement type (clap_cla_placement_type). */
export const PLACEMENT_TYPE_ENTRIES = list([
  ['A3', 'Placed for adoption with parental consent with current foster carer(s)', 0],
  ['A4', 'Placed for adoption with parental consent not with current foster carer(s)', 0],
  ['A5', 'Placed for adoption with placement order with current foster carer(s)', 0],
  ['A6', 'Placed for adoption with placement order not with current foster carer(s)', 0],
  ['H5', "Semi-independent living accommodation not subject to children's homes regulations", 4],
  ['K1', "Secure children's home", 0.5],
  ['K2', "Children's home subject to children's homes regulations", 11],
  ['P1', 'Placed with own parent(s) or other person(s) with parental responsibility', 6],
  ['P2', 'Independent living, e.g. in a flat, lodgings, bedsit or bed and breakfast', 1],
  ['P3', 'Residential employment', 0.1],
  ['R1', 'Residential care home', 0.5],
  ['R2', 'NHS/health trust or other establishment providing medical or nursing care', 0.3],
  ['R3', 'Family centre or mother and baby unit', 0.5],
  ['R5', 'Young offender institution or prison', 0.3],
  ['S1', "All residential schools, except where dual-registered as a school and children's home", 0.7],
  ['U1', 'Foster placement with relative or friend: long-term fostering', 3],
  ['U2', 'Foster placement with relative or friend who is also an approved adopter: FFA/concurrent', 0.3],
  ['U3', 'Foster placement with relative or friend: not long-term or FFA/concurrent', 7],
  ['U4', 'Foster placement with other foster carer: long-term fostering', 22],
  ['U5', 'Foster placement with other foster carer who is also an approved adopter: FFA/concurrent', 2],
  ['U6', 'Foster placement with other foster carer: not long-term or FFA/concurrent', 38],
  ['Z1', 'Other placements', 0.5],
]);

/** SSDA903 reason for new episode (clae_cla_episode_start_reason). */
export const EPISODE_START_REASON_ENTRIES = list([
  ['S', 'Started to be looked after', 0],
  ['L', 'Change of legal status only', 20],
  ['P', 'Change of placement and carer(s) only', 45],
  ['T', 'Change of both legal status and placement and carer(s) at the same time', 10],
  ['U', 'Change of placement with the same carer(s) and change of legal status', 3],
  ['B', 'Change of placement with the same carer(s) only', 15],
  ['V', 'SSDA903 reason for new episode V (see the SSDA903 guide for its current wording)', 1],
  ['E', 'SSDA903 reason for new episode E (see the SSDA903 guide for its current wording)', 1],
]);

/** SSDA903 reason episode ceased (clae_cla_episode_ceased_reason). X1 = the episode ended and a new one began. */
export const EPISODE_END_REASON_ENTRIES = list([
  ['X1', 'Episode ceases, and new episode begins on the same day', 0],
  ['E11', 'Adopted: application for an adoption order unopposed', 0],
  ['E12', 'Adopted: consent dispensed with by the court', 0],
  ['E13', 'Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility', 5],
  ['E14', 'Accommodation on remand ended', 2],
  ['E15', 'Age assessment determined child is aged 18 or over', 0],
  ['E16', 'Child moved abroad', 1],
  ['E17', 'Aged 18 (or over) and remained with current carers (staying put)', 0],
  ['E2', 'Died', 0],
  ['E3', 'Care taken over by another local authority in the UK', 3],
  ['E41', 'Child arrangements order granted', 6],
  ['E45', 'Special guardianship order made to former foster carer(s) who were relatives or friends', 6],
  ['E46', 'Special guardianship order made to former foster carer(s) other than relatives or friends', 2],
  ['E47', 'Special guardianship order made to carer(s) other than former foster carers, who are relatives or friends', 3],
  ['E48', 'Special guardianship order made to carer(s) other than former foster carers, other than relatives or friends', 0.5],
  ['E4A', 'Returned home to live with parent(s), relative(s) or other person(s) with parental responsibility as part of the care planning process', 45],
  ['E4B', 'Returned home to live with parent(s), relative(s) or other person(s) with parental responsibility not as part of the care planning process', 8],
  ['E5', 'Moved into independent living arrangement and no longer looked after: supportive accommodation', 0],
  ['E6', 'Moved into independent living arrangement and no longer looked after: no formalised support', 0],
  ['E7', 'Transferred to residential care funded by adult social care', 0],
  ['E8', 'Period of being looked after ceased for any other reason', 10],
  ['E9', 'Sentenced to custody', 1],
]);

/** Reasons a care leaver's looked-after period ended at 16-18. */
export const CARE_LEAVER_END_REASON_ENTRIES = list([
  ['E17', 'Aged 18 (or over) and remained with current carers (staying put)', 25],
  ['E5', 'Moved into independent living arrangement and no longer looked after: supportive accommodation', 30],
  ['E6', 'Moved into independent living arrangement and no longer looked after: no formalised support', 10],
  ['E7', 'Transferred to residential care funded by adult social care', 3],
  ['E8', 'Period of being looked after ceased for any other reason', 20],
  ['E13', 'Left care to live with parent(s), relative(s) or other person(s) with no parental responsibility', 12],
]);

/** SSDA903 reason for placement change (clap_cla_placement_change_reason). */
export const PLACEMENT_CHANGE_REASON_ENTRIES = list([
  ['CARPL', 'Change to or implementation of the care plan', 40],
  ['CLOSE', 'Resignation or closure of the provision', 6],
  ['ALLEG', 'Allegation (s47)', 2],
  ['STAND', 'Standards of care concern', 3],
  ['APPRR', 'Approval removed', 1],
  ['CREQB', "Carer requests placement end due to child's behaviour", 12],
  ['CREQO', "Carer requests placement end other than due to child's behaviour", 10],
  ['CHILD', 'Child requests placement end', 7],
  ['LAREQ', 'Responsible or area authority requests placement end', 5],
  ['PLACE', 'Change in the status of the placement only', 4],
  ['CUSTOD', 'Custody arrangement', 1],
  ['OTHER', 'Other', 9],
]);

/** Care leaver main activity (clea_care_leaver_activity), as the API pre-flight accepts them. */
export const CARE_LEAVER_ACTIVITY_ENTRIES = list([
  ['F1', 'Full-time in higher education', 7],
  ['P1', 'Part-time in higher education', 1],
  ['F2', 'Full-time in education other than higher education', 25],
  ['P2', 'Part-time in education other than higher education', 3],
  ['F4', 'Full-time in training or employment', 15],
  ['P4', 'Part-time in training or employment', 6],
  ['F5', 'Full-time in an apprenticeship', 3],
  ['P5', 'Part-time in an apprenticeship', 1],
  ['G4', 'Not in education, training or employment owing to illness or disability', 8],
  ['G5', 'Not in education, training or employment for other reasons', 26],
  ['G6', 'Not in education, training or employment owing to pregnancy or parenting', 5],
]);

/** Care leaver accommodation (clea_care_leaver_accommodation), as the API pre-flight accepts them. */
export const CARE_LEAVER_ACCOMMODATION_ENTRIES = list([
  ['B', 'With parents or relatives', 14],
  ['C', 'Community home or other form of residential care', 3],
  ['D', 'Semi-independent, transitional accommodation', 16],
  ['E', 'Supported lodgings', 8],
  ['G', 'Gone abroad', 0.5],
  ['H', 'Deported', 0.2],
  ['K', 'Ordinary lodgings, without formal support', 3],
  ['R', 'Residence not known', 2],
  ['S', 'No fixed abode or homeless', 1.5],
  ['T', 'Foyers and similar supported accommodation', 4],
  ['U', 'Independent living', 35],
  ['V', 'Emergency accommodation', 1],
]);

/** Immigration status (immi_immigration_status). Only U (UASC) is read by the payload builder. */
export const IMMIGRATION_STATUS_ENTRIES = list([
  ['U', 'Unaccompanied asylum seeking child', 0],
  ['RS', 'Refugee status', 3],
  ['LTR', 'Limited leave to remain', 3],
  ['ILR', 'Indefinite leave to remain', 2],
  ['NRPF', 'No recourse to public funds', 2],
]);

/** Roles of professionals on a case (invo_professional_role_id). The builder's care workers are CW. */
export const INVOLVEMENT_ROLE_ENTRIES = list([
  ['CW', 'Allocated case worker', 0],
  ['IRO', 'Independent reviewing officer', 0],
  ['PA', 'Personal adviser', 0],
  ['FSW', 'Family support worker', 0],
  ['TM', 'Team manager', 0],
]);

export const codesOf = (entries: readonly CodeEntry[]): string[] => entries.map((e) => e.code);
export const weightedOf = (entries: readonly CodeEntry[]): (readonly [string, number])[] => entries.filter((e) => e.weight > 0).map((e) => [e.code, e.weight] as const);
export function describe(entries: readonly CodeEntry[], code: string): string {
  const e = entries.find((x) => x.code === code);
  if (!e) throw new Error(`unknown code ${code}`);
  return e.description;
}

/** CIN census assessment factor codes (1A … 24A): the one list the payload builder checks factor items against. */
export const ASSESSMENT_FACTOR_CODES: readonly string[] = ASSESSMENT_FACTOR_ENTRIES.map((e) => e.code);
