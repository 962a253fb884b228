// British-looking fake names and clearly fake postcodes.
//
// Names: faker's en_GB first and last name lists, kept only where the name is also common in
// Britain (faker's lists are largely American: "Aufderhar", "Adalberto"). The combinations are
// random and tied to nobody. Postcodes: real postcode format (they pass the usual checks) but in
// the postcode areas YY and ZY, which do not exist, so no fake address is anyone's real one.
import { faker } from '@faker-js/faker/locale/en_GB';
import type { Rng } from './rng';

const BRITISH_SURNAMES = new Set(
  `Adams Anderson Armstrong Bailey Barton Beatty Boyle Brown Carroll Carter Cartwright Cole
Collier Collins Connelly Conroy Cummings Davis Dickens Dickinson Donnelly Dooley Douglas Doyle Farrell Fisher Gibson Glover
Goodwin Graham Grant Green Hackett Harris Harvey Hayes Heathcote Howe Howell Hudson Jacobs Jenkins Johns Johnson Johnston
Jones Keeling King Lang Larkin Little Lowe Lynch Marks McDermott McKenzie McLaughlin Medhurst Miller Mills Mitchell Moore
Murphy Murray Nolan O'Connell O'Hara O'Keefe O'Reilly Parker Price Reilly Reynolds Rice Ritchie Roberts Rowe Rutherford
Ryan Shields Smith Spencer Stokes Swift Thompson Turner Walker Walsh Ward Waters Welch West White Wilkinson Williamson`.split(/\s+/),
);

const BRITISH_MALE = new Set(
  `Aaron Adam Aidan Alan Albert Alex Alexander Alfie Alfred Andrew Archie Arthur Austin Ben
Benjamin Billy Blake Bradley Brandon Callum Cameron Charlie Christopher Connor Daniel David Dominic Dylan Edward Elliot
Ethan Evan Finley Frankie Freddie Gabriel George Harrison Harry Harvey Henry Hugo Isaac Jack Jacob Jake James Jamie Jasper
Jayden Jenson Joe Joel John Jonah Joseph Joshua Jude Kai Kian Kyle Leo Leon Lewis Liam Logan Louis Luca Lucas Luke Mason
Matthew Max Michael Mohammed Nathan Noah Oliver Oscar Owen Patrick Reece Reggie Riley Robert Ronnie Rory Ryan Sam Samuel
Sebastian Stanley Theo Thomas Toby Tommy Tyler William Zachary`.split(/\s+/),
);

const BRITISH_FEMALE = new Set(
  `Abigail Ada Alice Amber Amelia Amy Anna Aria Ava Bella Bethany Caitlin Charlotte Chloe Daisy
Eleanor Eliza Elizabeth Ella Ellie Eloise Elsie Emily Emma Erin Esme Eva Evie Faith Florence Freya Georgia Grace Hannah Harriet
Heidi Holly Imogen Isabel Isabella Isabelle Isla Ivy Jasmine Jessica Julia Katie Lacey Lauren Layla Leah Lily Lola Lucy Lydia
Maisie Martha Matilda Megan Mia Millie Molly Naomi Niamh Olivia Paige Phoebe Poppy Rebecca Rose Rosie Ruby Sarah Scarlett
Sienna Sofia Sophia Sophie Summer Thea Victoria Violet Willow Zara`.split(/\s+/),
);

function keep(list: readonly string[] | undefined, allow: Set<string>, what: string): readonly string[] {
  const kept = [...new Set((list ?? []).filter((n) => allow.has(n)))].sort();
  if (kept.length < 20) throw new Error(`faker's en_GB ${what} list has too few British names (${kept.length})`);
  return kept;
}

let cache: { male: readonly string[]; female: readonly string[]; last: readonly string[] } | undefined;
function lists() {
  if (!cache) {
    const p = faker.definitions.person;
    cache = {
      male: keep(p.first_name.male, BRITISH_MALE, 'male first name'),
      female: keep(p.first_name.female, BRITISH_FEMALE, 'female first name'),
      last: keep(p.last_name.generic, BRITISH_SURNAMES, 'last name'),
    };
  }
  return cache;
}

export function firstName(r: Rng, sex: 'M' | 'F' | 'U'): string {
  const l = lists();
  return r.pick(sex === 'M' ? l.male : sex === 'F' ? l.female : r.chance(0.5) ? l.male : l.female);
}

export function lastName(r: Rng): string {
  return r.pick(lists().last);
}

/** Postcode areas that do not exist in the UK but fit the postcode format. */
export const FAKE_POSTCODE_AREAS = ['YY', 'ZY'] as const;
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

/** A fake postcode, at most 8 characters, e.g. "YY12 3AB". */
export function fakePostcode(r: Rng): string {
  const inward = `${r.int(0, 9)}${INWARD_LETTERS[r.int(0, INWARD_LETTERS.length - 1)]}${INWARD_LETTERS[r.int(0, INWARD_LETTERS.length - 1)]}`;
  return `${r.pick(FAKE_POSTCODE_AREAS)}${r.int(1, 99)} ${inward}`;
}

/** The UK postcode format (the usual validation pattern, spaces optional): src/model/identifiers.ts. */
export { POSTCODE_FORMAT } from '../model/identifiers';

/** Values seen in real LA address tables that are not postcodes. */
export const BAD_POSTCODES = ['UNKNOWN', 'N/A', 'NFA', 'YY1', 'YY12 3AAB', '12345', 'YY12-3AB', 'TBC'] as const;
