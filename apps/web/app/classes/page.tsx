import { ClassesView } from "../../src/components/ClassesView";
import { requireUser } from "../../src/server/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "My classes" };

export default async function ClassesPage() {
  await requireUser("/classes");
  return <ClassesView />;
}
