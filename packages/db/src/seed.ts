import { presetChain } from "@comaster/chain";
import { encodeWav } from "@comaster/codecs";
import { analyzeAudio } from "@comaster/dsp";
import type { Role } from "./classes";
import { createClass } from "./classes";
import type { Db } from "./client";
import { DEMO_MIX, demoMix } from "./demoMix";
import { hashPassword } from "./passwords";
import { createProject } from "./projects";
import type { BlobStore } from "./storage/blobStore";
import { createUser } from "./users";

/*
 * `pnpm db:seed`: the demo data the start command opens onto. Idempotent: every record is looked up
 * by its natural key (username, class name, project name, the mix's content hash) and created only
 * if missing, so a second run changes nothing. I/O is passed in (database, blob store).
 */

interface DemoUser {
  username: string;
  displayName: string;
  password: string;
}

export const DEMO = {
  teacher: { username: "teacher", displayName: "Demo Teacher", password: "teacher-demo" },
  students: [
    { username: "student1", displayName: "Student One", password: "student-demo" },
    { username: "student2", displayName: "Student Two", password: "student-demo" },
  ],
  className: "Mastering 101",
  projectName: "Demo song",
  versionLabel: "Streaming preset",
} as const satisfies {
  teacher: DemoUser;
  students: readonly DemoUser[];
  className: string;
  projectName: string;
  versionLabel: string;
};

export interface SeedDeps {
  db: Db;
  blobs: BlobStore;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
}

export interface SeedResult {
  teacherId: string;
  studentIds: string[];
  classId: string;
  projectId: string;
  assetId: string;
  versionId: string;
  /** Names of the records this run created (empty on a re-run). */
  created: string[];
}

export async function seedDemo({ db, blobs, log = () => {} }: SeedDeps): Promise<SeedResult> {
  const created: string[] = [];
  const note = (what: string) => {
    created.push(what);
    log(`created ${what}`);
  };

  const ensureUser = async (u: DemoUser) => {
    const found = await db.user.findUnique({ where: { username: u.username } });
    if (found) return found;
    const user = await createUser(db, {
      username: u.username,
      displayName: u.displayName,
      passwordHash: await hashPassword(u.password),
    });
    note(`user ${u.username}`);
    return user;
  };
  const teacher = await ensureUser(DEMO.teacher);
  const students = [];
  for (const s of DEMO.students) students.push(await ensureUser(s));

  let cls = await db.class.findFirst({ where: { name: DEMO.className }, orderBy: { createdAt: "asc" } });
  if (!cls) {
    cls = await createClass(db, DEMO.className, teacher.id);
    note(`class "${DEMO.className}" (invite code ${cls.inviteCode})`);
  }
  const members: [string, Role][] = [
    [teacher.id, "teacher"],
    ...students.map((s): [string, Role] => [s.id, "student"]),
  ];
  for (const [userId, role] of members) {
    const key = { userId_classId: { userId, classId: cls.id } };
    if (await db.membership.findUnique({ where: key })) continue;
    await db.membership.create({ data: { userId, classId: cls.id, role } });
    note(`membership ${role} ${userId}`);
  }

  let project = await db.project.findFirst({
    where: { classId: cls.id, name: DEMO.projectName },
    orderBy: { createdAt: "asc" },
  });
  if (!project) {
    project = await createProject(db, cls.id, DEMO.projectName);
    note(`project "${DEMO.projectName}"`);
  }

  const assetId = await ensureDemoAsset(db, blobs, project.id, note, log);

  let version = await db.version.findFirst({ where: { projectId: project.id }, orderBy: { createdAt: "asc" } });
  if (!version) {
    version = await db.version.create({
      data: {
        projectId: project.id,
        authorId: teacher.id,
        label: DEMO.versionLabel,
        chainJson: JSON.stringify(presetChain("streaming")),
      },
    });
    note(`version "${DEMO.versionLabel}"`);
  }

  return {
    teacherId: teacher.id,
    studentIds: students.map((s) => s.id),
    classId: cls.id,
    projectId: project.id,
    assetId,
    versionId: version.id,
    created,
  };
}

/**
 * The project's first asset, if its bytes are in storage; otherwise generates the mix, stores it (the
 * bytes are deterministic, so this restores a wiped storage directory under the same key) and records
 * the asset once.
 */
async function ensureDemoAsset(
  db: Db,
  blobs: BlobStore,
  projectId: string,
  note: (what: string) => void,
  log: (line: string) => void,
): Promise<string> {
  const existing = await db.asset.findFirst({ where: { projectId }, orderBy: { createdAt: "asc" } });
  if (existing && (await blobs.has(existing.storageKey))) return existing.id;

  log("generating the demo mix");
  const channels = demoMix();
  const bytes = encodeWav(channels, DEMO_MIX.sampleRate, "pcm24");
  const ref = await blobs.put(bytes);
  const same = await db.asset.findFirst({ where: { projectId, contentHash: ref.sha256 } });
  if (same) return same.id;

  const analysis = analyzeAudio(channels, DEMO_MIX.sampleRate);
  const asset = await db.asset.create({
    data: {
      projectId,
      contentHash: ref.sha256,
      format: "wav",
      durationSeconds: channels[0]!.length / DEMO_MIX.sampleRate,
      sampleRate: DEMO_MIX.sampleRate,
      channels: channels.length,
      analysisJson: JSON.stringify(analysis),
      waveformJson: JSON.stringify(analysis.waveform),
      storageKey: ref.key,
      byteSize: ref.size,
    },
  });
  note(`asset ${ref.key} (${ref.size} bytes)`);
  return asset.id;
}
