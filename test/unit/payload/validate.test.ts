import assert from 'node:assert/strict';
import { DFE_PAYLOAD_SCHEMA, validatePayload } from '../../../src/payload/validatePayload';
import { PAYLOAD_SOURCES, sourceForPath } from '../../../src/payload/sources';

function valid(): Record<string, any> {
  return {
    la_child_id: 'C1',
    mis_child_id: 'M1',
    purge: false,
    child_details: {
      unique_pupil_number: 'A123456789012',
      unique_pupil_number_unknown_reason: 'UN1',
      first_name: 'Zoë',
      surname: "O'Brien",
      date_of_birth: '2015-05-01',
      sex: 'F',
      ethnicity: 'WBRI',
      disabilities: ['NONE'],
      postcode: 'AB1 2CD',
      uasc_flag: false,
      purge: false,
    },
    health_and_wellbeing: { sdq_assessments: [{ date: '2025-01-01', score: 40 }], purge: false },
    social_care_episodes: [
      {
        social_care_episode_id: 'R1',
        referral_date: '2025-01-01',
        referral_source: '10',
        closure_reason: 'RC1',
        referral_no_further_action_flag: false,
        child_and_family_assessments: [{ child_and_family_assessment_id: 'A1', factors: ['1A'], purge: false }],
        child_looked_after_placements: [
          { child_looked_after_placement_id: 'P1', start_reason: 'S', placement_type: 'U1', end_reason: 'E11', change_reason: 'CARPL', postcode: 'ZZ1 1ZZ', purge: false },
        ],
        care_leavers: { activity: 'G6', accommodation: 'V', purge: false },
        care_worker_details: [{ worker_id: 'SW123456789X' }],
        purge: false,
      },
    ],
  };
}

function problemsAfter(change: (p: Record<string, any>) => void) {
  const p = valid();
  change(p);
  return validatePayload(p).map((x) => `${x.path} | ${x.rule} | ${x.message}`);
}

describe('DfE payload schema and validation problems', () => {
  it('accepts a valid payload and a deletion payload', () => {
    assert.deepEqual(validatePayload(valid()), []);
    assert.deepEqual(validatePayload({ la_child_id: 'C1', mis_child_id: 'M1', purge: true }), []);
  });

  it('required ids and child_details', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        delete p.la_child_id;
        delete p.child_details;
      }),
      ['/child_details | required | required: this field is missing', '/la_child_id | required | required: this field is missing'],
    );
    assert.deepEqual(
      problemsAfter((p) => {
        delete p.social_care_episodes[0].care_worker_details[0].worker_id;
      }),
      ['/social_care_episodes/0/care_worker_details/0/worker_id | required | required: this field is missing'],
    );
  });

  it('id characters and lengths (la_child_id 20, mis_child_id 36, entity ids 36, worker_id 12)', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.la_child_id = 'AB/12 ü';
      }),
      ['/la_child_id | pattern | identifier characters (letters, digits, _ and - only): 7 characters, including 1 punctuation or symbol, 1 space, 1 accented or non-Latin letter not allowed'],
    );
    assert.deepEqual(
      problemsAfter((p) => {
        p.mis_child_id = 'M'.repeat(37);
        p.social_care_episodes[0].care_worker_details[0].worker_id = 'W'.repeat(13);
      }),
      [
        '/mis_child_id | maxLength | mis_child_id length: 37 characters; at most 36 allowed',
        '/social_care_episodes/0/care_worker_details/0/worker_id | maxLength | worker_id length: 13 characters; at most 12 allowed',
      ],
    );
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].child_and_family_assessments[0].child_and_family_assessment_id = '';
      }),
      [
        '/social_care_episodes/0/child_and_family_assessments/0/child_and_family_assessment_id | pattern | identifier characters (letters, digits, _ and - only): empty; at least one character required',
      ],
    );
  });

  it('UPN: 13 letters or digits; unknown reason UN1-UN10', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.child_details.unique_pupil_number = 'A1234567890123';
        p.child_details.unique_pupil_number_unknown_reason = 'UN11';
      }),
      [
        '/child_details/unique_pupil_number | maxLength | unique pupil number (13 letters or digits): 14 characters; at most 13 allowed',
        '/child_details/unique_pupil_number_unknown_reason | enum | UPN unknown reason (UN1 to UN10): text of 4 characters that is not one of the allowed codes (UN1, UN2, UN3, UN4, UN5, UN6, UN7, UN8, UN9, UN10)',
      ],
    );
  });

  it('dates, sex and names never show their value', () => {
    const out = problemsAfter((p) => {
      p.child_details.date_of_birth = '01/05/2015';
      p.child_details.sex = 'Female';
      p.child_details.first_name = 'Zoë'.repeat(50);
    });
    assert.deepEqual(out, [
      '/child_details/first_name | maxLength | name length: 150 characters; at most 128 allowed',
      '/child_details/date_of_birth | format | date (YYYY-MM-DD): text of 10 characters, not a calendar date written YYYY-MM-DD',
      '/child_details/sex | enum | sex (M, F or U): text of 6 characters that is not one of the allowed codes (M, F, U)',
    ]);
    assert.ok(out.every((l) => !l.includes('Zoë') && !l.includes('2015') && !l.includes('Female')));
  });

  it('dates before 1900 are invalid (placeholders such as 0001-01-01 or 1753-01-01), 1900-01-01 and later are not', () => {
    const out = problemsAfter((p) => {
      p.social_care_episodes[0].referral_date = '0001-01-01';
      p.child_details.date_of_birth = '1899-12-31';
      p.health_and_wellbeing.sdq_assessments[0].date = '1753-01-01';
    });
    assert.deepEqual(out, [
      '/child_details/date_of_birth | pattern | date before 1900-01-01 (a placeholder or a typing error): 10 characters that do not match the required pattern',
      '/health_and_wellbeing/sdq_assessments/0/date | pattern | date before 1900-01-01 (a placeholder or a typing error): 10 characters that do not match the required pattern',
      '/social_care_episodes/0/referral_date | pattern | date before 1900-01-01 (a placeholder or a typing error): 10 characters that do not match the required pattern',
    ]);
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].referral_date = '1900-01-01';
        p.child_details.date_of_birth = '2099-12-31';
      }),
      [],
    );
    // A date that is no date at all is one format problem, not two.
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].referral_date = '01/01/0001';
      }).map((l) => l.split(' | ')[1]),
      ['format'],
    );
  });

  it('assessment factors must be CIN census codes (NaN, question text and ids are invalid)', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].child_and_family_assessments[0].factors = ['NaN', '1C', '21', '24a', 'Q17_parent_alcohol', '123'];
      }),
      [
        '/social_care_episodes/0/child_and_family_assessments/0/factors/0 | pattern | assessment factor code (a CIN census code: 1 or 2 digits and an optional letter, e.g. 1C, 21, 24A): 3 characters that do not match the required pattern',
        '/social_care_episodes/0/child_and_family_assessments/0/factors/4 | pattern | assessment factor code (a CIN census code: 1 or 2 digits and an optional letter, e.g. 1C, 21, 24A): 18 characters that do not match the required pattern',
        '/social_care_episodes/0/child_and_family_assessments/0/factors/5 | pattern | assessment factor code (a CIN census code: 1 or 2 digits and an optional letter, e.g. 1C, 21, 24A): 3 characters that do not match the required pattern',
      ],
    );
  });

  it('code lists: referral source, disability, care leaver activity and accommodation', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].referral_source = '2C';
        p.child_details.disabilities = ['NONE', 'XYZ'];
        p.social_care_episodes[0].care_leavers.activity = 'F3';
        p.social_care_episodes[0].care_leavers.accommodation = 'A';
      }).map((l) => l.split(' | ').slice(0, 2).join(' | ')),
      [
        '/child_details/disabilities/1 | enum',
        '/social_care_episodes/0/referral_source | enum',
        '/social_care_episodes/0/care_leavers/activity | enum',
        '/social_care_episodes/0/care_leavers/accommodation | enum',
      ],
    );
  });

  it('counts: at most 12 disabilities, at most 41 factors, no repeats', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.child_details.disabilities = ['NONE', 'MOB', 'HAND', 'PC', 'INC', 'COMM', 'LD', 'HEAR', 'VIS', 'BEH', 'CON', 'AUT', 'DDA'];
      }),
      ['/child_details/disabilities | maxItems | disabilities (at most 12 codes): 13 items; at most 12 allowed'],
    );
    assert.deepEqual(
      problemsAfter((p) => {
        p.social_care_episodes[0].child_and_family_assessments[0].factors = ['1A', '2B', '1A'];
      }),
      ['/social_care_episodes/0/child_and_family_assessments/0/factors | uniqueItems | assessment factors (at most 41 codes): items 1 and 3 are the same'],
    );
  });

  it('SDQ score is a whole number 0 to 40', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        p.health_and_wellbeing.sdq_assessments = [
          { date: '2025-01-01', score: 41 },
          { date: '2025-01-01', score: -1 },
          { date: '2025-01-01', score: 2.5 },
        ];
      }),
      [
        '/health_and_wellbeing/sdq_assessments/0/score | maximum | SDQ score (whole number 0 to 40): above the maximum 40',
        '/health_and_wellbeing/sdq_assessments/1/score | minimum | SDQ score (whole number 0 to 40): below the minimum 0',
        '/health_and_wellbeing/sdq_assessments/2/score | type | SDQ score (whole number 0 to 40): a number with a fraction; integer expected',
      ],
    );
  });

  it('lengths of reason, type and postcode fields', () => {
    assert.deepEqual(
      problemsAfter((p) => {
        const pl = p.social_care_episodes[0].child_looked_after_placements[0];
        pl.start_reason = 'SX';
        pl.placement_type = 'U1X';
        pl.end_reason = 'E11X';
        pl.change_reason = 'CARPLXX';
        pl.postcode = 'ZZ1 1ZZ Z';
        p.social_care_episodes[0].closure_reason = 'RC10';
        p.child_details.ethnicity = 'WBRIX';
      }).map((l) => l.split(' | ').slice(0, 2).join(' | ')),
      [
        '/child_details/ethnicity | maxLength',
        '/social_care_episodes/0/closure_reason | maxLength',
        '/social_care_episodes/0/child_looked_after_placements/0/start_reason | maxLength',
        '/social_care_episodes/0/child_looked_after_placements/0/postcode | maxLength',
        '/social_care_episodes/0/child_looked_after_placements/0/placement_type | maxLength',
        '/social_care_episodes/0/child_looked_after_placements/0/end_reason | maxLength',
        '/social_care_episodes/0/child_looked_after_placements/0/change_reason | maxLength',
      ],
    );
  });

  it('unknown fields are reported; problems carry their SSD source column', () => {
    const p = valid();
    p.child_details.nickname = 'x';
    const problems = validatePayload(p);
    assert.deepEqual(
      problems.map((x) => [x.path, x.rule]),
      [['/child_details/nickname', 'additionalProperties']],
    );
    const q = valid();
    q.child_details.sex = 'X';
    assert.equal(validatePayload(q)[0]!.source, 'ssd_person.pers_sex');
  });

  it('every source path names a real schema property, and concrete indices map to the pattern', () => {
    assert.equal(sourceForPath('/social_care_episodes/12/child_looked_after_placements/3/placement_type'), 'ssd_cla_placement.clap_cla_placement_type');
    const defs = (DFE_PAYLOAD_SCHEMA as any).definitions;
    for (const path of Object.keys(PAYLOAD_SOURCES)) {
      const leaf = path
        .split('/')
        .filter((s) => s !== '*')
        .pop()!;
      const text = JSON.stringify(DFE_PAYLOAD_SCHEMA);
      assert.ok(text.includes(`"${leaf}"`), `${path} not in schema`);
    }
    assert.ok(defs.idCharacters.pattern === '^[A-Za-z0-9_-]+$');
  });
});
