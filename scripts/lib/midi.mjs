// A small Standard MIDI File writer and a generated song, so tests and benchmarks can render real
// instrument recordings (FluidSynth + a General MIDI soundfont) without shipping audio files.

/** @param {number} n */
function varLen(n) {
  const bytes = [n & 0x7f];
  while ((n >>= 7) > 0) bytes.unshift((n & 0x7f) | 0x80);
  return bytes;
}

/**
 * Encodes events as a format-0 MIDI file.
 * @param {{ tick: number, data: number[] }[]} events absolute ticks, raw channel/meta bytes
 * @param {number} ppq ticks per quarter note
 */
export function encodeMidi(events, ppq = 480) {
  const sorted = [...events].sort((a, b) => a.tick - b.tick);
  const track = [];
  let last = 0;
  for (const e of sorted) {
    track.push(...varLen(e.tick - last), ...e.data);
    last = e.tick;
  }
  track.push(0, 0xff, 0x2f, 0); // end of track
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, (ppq >> 8) & 0xff, ppq & 0xff];
  const len = track.length;
  const trackHeader = [
    0x4d,
    0x54,
    0x72,
    0x6b,
    (len >>> 24) & 0xff,
    (len >>> 16) & 0xff,
    (len >>> 8) & 0xff,
    len & 0xff,
  ];
  return Uint8Array.from([...header, ...trackHeader, ...track]);
}

/** Deterministic PRNG (mulberry32). @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A pop-shaped song: drums, bass, piano chords and a lead, with quiet verses and loud choruses
 * (so loudness range is non-trivial). About `seconds` long at 112 BPM.
 * @param {{ seconds?: number, seed?: number }} [opts]
 */
export function generateSong(opts = {}) {
  const seconds = opts.seconds ?? 45;
  const rand = prng(opts.seed ?? 7);
  const ppq = 480;
  const bpm = 112;
  const bar = ppq * 4;
  const bars = Math.max(2, Math.ceil((seconds * bpm) / 60 / 4));
  const usPerQuarter = Math.round(60_000_000 / bpm);
  /** @type {{ tick: number, data: number[] }[]} */
  const ev = [
    { tick: 0, data: [0xff, 0x51, 3, (usPerQuarter >> 16) & 0xff, (usPerQuarter >> 8) & 0xff, usPerQuarter & 0xff] },
  ];
  const program = (ch, p) => ev.push({ tick: 0, data: [0xc0 | ch, p] });
  const note = (ch, tick, key, vel, dur) => {
    ev.push({ tick, data: [0x90 | ch, key, Math.max(1, Math.min(127, Math.round(vel)))] });
    ev.push({ tick: tick + dur, data: [0x80 | ch, key, 0] });
  };
  program(0, 33); // fingered bass
  program(1, 0); // grand piano
  program(2, 81); // saw lead
  program(3, 48); // strings
  const progression = [
    [57, 60, 64],
    [53, 57, 60],
    [48, 52, 55],
    [55, 59, 62],
  ]; // Am F C G
  for (let b = 0; b < bars; b++) {
    const t0 = b * bar;
    const chorus = Math.floor(b / 8) % 2 === 1;
    const dyn = chorus ? 1 : 0.55;
    const chord = progression[b % 4];
    // drums (channel 10 = index 9)
    for (let q = 0; q < 4; q++) {
      if (q % 2 === 0) note(9, t0 + q * ppq, 36, 115 * dyn, ppq / 2);
      else note(9, t0 + q * ppq, 38, 105 * dyn, ppq / 2);
      for (let e = 0; e < 2; e++) note(9, t0 + q * ppq + (e * ppq) / 2, 42, (70 + rand() * 30) * dyn, ppq / 4);
    }
    if (chorus && b % 8 === 0) note(9, t0, 49, 110, ppq * 2);
    // bass: root in octave 2, eighth notes
    for (let e = 0; e < 8; e++) note(0, t0 + (e * ppq) / 2, chord[0] - 24, (90 + rand() * 20) * dyn, ppq / 2 - 20);
    // piano: chord on each half bar
    for (let h = 0; h < 2; h++)
      for (const k of chord) note(1, t0 + h * 2 * ppq, k, (70 + rand() * 15) * dyn, ppq * 2 - 30);
    // strings pad in choruses
    if (chorus) for (const k of chord) note(3, t0, k + 12, 70, bar - 10);
    // lead melody: random walk on the chord tones
    for (let e = 0; e < 8; e++) {
      if (rand() < 0.3) continue;
      const k = chord[Math.floor(rand() * 3)] + 12 + (rand() < 0.3 ? 12 : 0);
      note(2, t0 + (e * ppq) / 2, k, (80 + rand() * 30) * dyn, ppq / 2 - 10);
    }
  }
  return encodeMidi(ev, ppq);
}
