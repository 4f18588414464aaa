-- CreateTable
CREATE TABLE "LoudnessGain" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "assetId" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "gainDb" REAL,
    "targetLufs" REAL,
    "integratedLufs" REAL,
    "passes" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LoudnessGain_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "LoudnessGain_assetId_chainKey_key" ON "LoudnessGain"("assetId", "chainKey");
