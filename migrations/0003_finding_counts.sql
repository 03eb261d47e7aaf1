DROP INDEX "facts_agency";--> statement-breakpoint
ALTER TABLE "report_facts" ADD COLUMN "errors" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "report_facts" ADD COLUMN "warnings" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "facts_agency" ON "report_facts" USING btree ("agency_id","year");