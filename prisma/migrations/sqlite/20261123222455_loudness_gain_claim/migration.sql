-- CreateTable
CREATE TABLE "LoudnessGainClaim" (
    "assetId" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("assetId", "chainKey"),
    CONSTRAINT "LoudnessGainClaim_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
