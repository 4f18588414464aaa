-- CreateTable
CREATE TABLE "LoudnessGainClaim" (
    "assetId" TEXT NOT NULL,
    "chainKey" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoudnessGainClaim_pkey" PRIMARY KEY ("assetId","chainKey")
);

-- AddForeignKey
ALTER TABLE "LoudnessGainClaim" ADD CONSTRAINT "LoudnessGainClaim_assetId_fkey" FOREIGN KEY ("assetId") REFERENCES "Asset"("id") ON DELETE CASCADE ON UPDATE CASCADE;
