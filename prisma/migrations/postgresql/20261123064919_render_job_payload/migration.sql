-- AlterTable
ALTER TABLE "RenderJob" ADD COLUMN     "payloadJson" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "resultJson" TEXT;
