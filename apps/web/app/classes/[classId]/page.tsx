import { ClassView } from "../../../src/components/ClassView";
import { requireUser } from "../../../src/server/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Class" };

export default async function ClassPage({ params }: { params: Promise<{ classId: string }> }) {
  const { classId } = await params;
  await requireUser(`/classes/${classId}`);
  return <ClassView classId={classId} />;
}
