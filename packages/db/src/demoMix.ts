import { pinkNoise, sine } from "@comaster/dsp";

/** What the demo mix is: 30 s of 44.1 kHz stereo, written as 24-bit WAV. */
export const DEMO_MIX = { seconds: 30, sampleRate: 44_100, channels: 2 } as const;

const BPM = 96;
/** Am – F – C – G, one chord per 7.5 s; MIDI note numbers (root in the bass, triad above). */
const CHORDS = [
  [45, 57, 60, 64],
  [41, 57, 60, 65],
  [48, 55, 60, 64],
  [43, 55, 59, 62],
] as const;

const midiHz = (note: number) => 440 * 2 ** ((note - 69) / 12);

/**
 * A deterministic, unmastered-sounding demo mix: a chord pad (sines, panned apart), a sine bass,
 * a decaying 55 Hz kick on every beat and a quiet pink-noise bed. Peaks stay below −3 dBFS so the
 * mastering chain has headroom to work with. Planar: one Float32Array per channel.
 */
export function demoMix(): Float32Array[] {
  const { seconds, sampleRate } = DEMO_MIX;
  const frames = Math.round(seconds * sampleRate);
  const [left, right] = pinkNoise({ sampleRate, seconds, rmsDb: -36, channels: 2, seed: 101 }) as [
    Float32Array,
    Float32Array,
  ];
  const chordFrames = Math.floor(frames / CHORDS.length);
  const fade = Math.round(0.02 * sampleRate); // 20 ms ramps: no clicks at chord changes

  CHORDS.forEach((notes, c) => {
    const start = c * chordFrames;
    const length = c === CHORDS.length - 1 ? frames - start : chordFrames;
    notes.forEach((note, i) => {
      const bass = i === 0;
      const [tone] = sine({
        sampleRate,
        frequency: midiHz(note),
        amplitudeDbfs: bass ? -14 : -22,
        seconds: length / sampleRate,
      }) as [Float32Array];
      // Bass in the centre; pad voices alternately left and right of centre.
      const pan = bass ? 0.5 : i % 2 === 1 ? 0.3 : 0.7;
      for (let n = 0; n < length; n++) {
        const env = Math.min(1, n / fade, (length - 1 - n) / fade);
        const x = tone[n]! * env;
        left[start + n]! += x * (1 - pan);
        right[start + n]! += x * pan;
      }
    });
  });

  const beat = Math.round((60 / BPM) * sampleRate);
  const kickLength = Math.round(0.25 * sampleRate);
  for (let at = 0; at < frames; at += beat) {
    for (let n = 0; n < kickLength && at + n < frames; n++) {
      const t = n / sampleRate;
      const x = 0.3 * Math.exp(-t * 18) * Math.sin(2 * Math.PI * 55 * t);
      left[at + n]! += x;
      right[at + n]! += x;
    }
  }
  return [left, right];
}
