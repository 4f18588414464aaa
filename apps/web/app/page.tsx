import { formatLufs, LOUDNESS_TARGETS } from "../src/loudnessTargets";

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Comaster</h1>
      <p className="mt-3 text-zinc-400">
        Collaborative mastering for classrooms: a teacher and students shape one mastering chain together, hear it in
        the browser, and export the master.
      </p>
      <section aria-labelledby="targets" className="mt-10">
        <h2 id="targets" className="text-lg font-medium">
          Delivery targets
        </h2>
        <ul className="mt-4 divide-y divide-zinc-800 rounded-lg border border-zinc-800">
          {LOUDNESS_TARGETS.map((t) => (
            <li key={t.id} className="flex items-center justify-between px-4 py-3">
              <span>{t.label}</span>
              <span className="font-mono text-sm text-zinc-300">
                {formatLufs(t.integratedLufs)} · {formatLufs(t.truePeakDbtp, "dBTP")}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <p className="mt-10 text-sm text-zinc-500">
        Classes, uploads and the live desk arrive with the next milestones. Today, analyse a file from the command line:{" "}
        <code className="rounded bg-zinc-900 px-1.5 py-0.5">pnpm comaster analyze mix.wav --json</code>
      </p>
    </main>
  );
}
