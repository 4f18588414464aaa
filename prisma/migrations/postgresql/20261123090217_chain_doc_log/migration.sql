-- CreateTable
CREATE TABLE "ChainDocUpdate" (
    "id" SERIAL NOT NULL,
    "projectId" TEXT NOT NULL,
    "update" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChainDocUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChainDocUpdate_projectId_id_idx" ON "ChainDocUpdate"("projectId", "id");

-- AddForeignKey
ALTER TABLE "ChainDocUpdate" ADD CONSTRAINT "ChainDocUpdate_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
