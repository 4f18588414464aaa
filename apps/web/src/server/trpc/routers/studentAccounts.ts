import { randomInt } from "node:crypto";

/**
 * Usernames for a pasted name: "Zoë O'Brien" → "zoe.obrien", then "zoe.obrien2", "zoe.obrien3" … for
 * the unique-index retry loop. Letters are folded to ASCII so pupils can type them on any keyboard.
 */
export function* usernameCandidates(name: string): Generator<string> {
  const ascii = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’`]/g, "")
    .replace(/[^a-z0-9]+/g, ".")
    .replace(/^\.+|\.+$/g, "")
    .slice(0, 24)
    .replace(/\.+$/, "");
  const base = ascii.length >= 3 ? ascii : `student${ascii ? `.${ascii}` : ""}`;
  yield base;
  for (let n = 2; n < 1000; n++) yield `${base}${n}`;
}

// No look-alikes (0/O, 1/l/I) so a printed password reads back without doubt.
const WORDS = [
  "amber",
  "banjo",
  "cello",
  "delta",
  "echo",
  "fable",
  "gamma",
  "harp",
  "indigo",
  "jazz",
  "koala",
  "lyric",
  "mango",
  "north",
  "opal",
  "piano",
  "quartz",
  "river",
  "sonic",
  "tempo",
  "ultra",
  "viola",
  "waltz",
  "xenon",
  "yodel",
  "zebra",
  "bass",
  "chord",
  "drum",
  "forte",
  "groove",
  "horn",
  "major",
  "minor",
  "octave",
  "reverb",
];

/**
 * A first password a pupil can type: three words and three digits, e.g. "tempo-koala-harp-482"
 * (36³·900 ≈ 4·10⁷, ≈25 bits). With sign-in limited to 40 failures per account per 15 minutes, guessing
 * one takes years on average.
 */
export function firstPassword(): string {
  const word = () => WORDS[randomInt(WORDS.length)];
  return `${word()}-${word()}-${word()}-${randomInt(100, 1000)}`;
}
