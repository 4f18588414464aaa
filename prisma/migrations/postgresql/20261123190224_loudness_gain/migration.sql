-- CreateTable
CREATE TABLE "LoudnessGain" (
    "id" TEXT NOT NULL,
    "assetId" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "gainDb" DOUBLE PRECISION,
    "targetLufs" DOUBLE PRECISION,
    "integratedLufs" DOUBLE PRECISION,
    "passes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoudnessGain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LoudnessGain_assetId_chainKey_key" ON "LoudnessGain"("assetId", "chainKey");

-- AddForeignKey
ALTER TABLE "LoudnessGain" ADD CONSTRAINT "LoudnessGain_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
