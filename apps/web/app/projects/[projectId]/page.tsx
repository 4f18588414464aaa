import { ProjectView } from "../../../src/components/ProjectView";
import { requireUser } from "../../../src/server/session";

export const dynamic = "force-dynamic";
export const metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await requireUser(`/projects/${projectId}`);
  return <ProjectView projectId={projectId} />;
}
