import Link from "next/link";
import { redirect } from "next/navigation";
import { formatLufs, LOUDNESS_TARGETS } from "../src/loudnessTargets";
import { services } from "../src/server/services";
import { currentUser } from "../src/server/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (await currentUser()) redirect("/classes");
  const { db } = await services();
  const demo = (await db.user.count({ where: { username: "teacher" } })) > 0;
  return (
    <div className="mx-auto max-w-3xl py-8">
      <h1 className="text-3xl font-semibold tracking-tight">Master your mixes together</h1>
      <p className="mt-3 text-lg text-zinc-300">
        Comaster is a mastering studio for classrooms: upload a mix, see its loudness and peaks, render a master for
        streaming, CD or broadcast, and share it with a link.
      </p>
      <div className="mt-6 flex flex-wrap gap-3">
        <Link href="/sign-up" className="rounded-md bg-sky-500 px-4 py-2 font-medium text-zinc-950 hover:bg-sky-400">
          Create an account
        </Link>
        <Link href="/sign-in" className="rounded-md border border-zinc-700 px-4 py-2 font-medium hover:bg-zinc-800">
          Sign in
        </Link>
      </div>
      {demo && (
        <p className="mt-6 rounded-lg border border-zinc-800 bg-zinc-900/60 px-4 py-3 text-sm text-zinc-300">
          Demo class: sign in as <code className="font-mono text-sky-300">teacher</code> /{" "}
          <code className="font-mono text-sky-300">teacher-demo</code> or{" "}
          <code className="font-mono text-sky-300">student1</code> /{" "}
          <code className="font-mono text-sky-300">student-demo</code>.
        </p>
      )}
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
    </div>
  );
}
