CREATE TABLE "agencies" (
	"id" serial PRIMARY KEY NOT NULL,
	"region_code" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'unconfirmed' NOT NULL,
	"merged_into" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agency_aliases" (
	"alias" text PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"reason" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"key" text NOT NULL,
	"value" double precision,
	"author" text NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" "bytea" NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "fetches" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"sha256" text,
	"status" integer,
	"headers" jsonb,
	"error" text,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "figure_keys" (
	"id" "smallserial" PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	CONSTRAINT "figure_keys_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "figures" (
	"version_id" integer PRIMARY KEY NOT NULL,
	"keys" smallint[] NOT NULL,
	"vals" double precision[] NOT NULL,
	"semantics" text NOT NULL,
	"printed" jsonb NOT NULL,
	"positions" integer[] NOT NULL,
	"context" jsonb NOT NULL,
	"extra" jsonb
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"agency_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"report_id" integer,
	"version_id" integer,
	"rule" text NOT NULL,
	"severity" text NOT NULL,
	"cells" text[] NOT NULL,
	"expected" jsonb,
	"actual" jsonb,
	"message" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"reviewer" text,
	"comment" text,
	"reviewed_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "findings_fingerprint_unique" UNIQUE("fingerprint")
);
--> statement-breakpoint
CREATE TABLE "import_failures" (
	"id" serial PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"sha256" text,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "parser_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"parser" text NOT NULL,
	"kind" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"counts" jsonb
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" text NOT NULL,
	"parent_code" text
);
--> statement-breakpoint
CREATE TABLE "reparse_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"version_id" integer NOT NULL,
	"item" text NOT NULL,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "report_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"report_id" integer NOT NULL,
	"sha256" text NOT NULL,
	"parsed" jsonb NOT NULL,
	"parser" text NOT NULL,
	"parser_run_id" integer,
	"status" text NOT NULL,
	"format" text NOT NULL,
	"published_at" timestamp with time zone,
	"captured_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"id" serial PRIMARY KEY NOT NULL,
	"agency_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"current_version_id" integer
);
--> statement-breakpoint
ALTER TABLE "agencies" ADD CONSTRAINT "agencies_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_aliases" ADD CONSTRAINT "agency_aliases_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "corrections" ADD CONSTRAINT "corrections_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fetches" ADD CONSTRAINT "fetches_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "figures" ADD CONSTRAINT "figures_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_failures" ADD CONSTRAINT "import_failures_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reparse_changes" ADD CONSTRAINT "reparse_changes_run_id_parser_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."parser_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reparse_changes" ADD CONSTRAINT "reparse_changes_version_id_report_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."report_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_versions" ADD CONSTRAINT "report_versions_parser_run_id_parser_runs_id_fk" FOREIGN KEY ("parser_run_id") REFERENCES "public"."parser_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agencies_name" ON "agencies" USING btree ("name");--> statement-breakpoint
CREATE INDEX "corrections_version" ON "corrections" USING btree ("version_id");--> statement-breakpoint
CREATE INDEX "fetches_url" ON "fetches" USING btree ("url");--> statement-breakpoint
CREATE INDEX "fetches_sha" ON "fetches" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "findings_report" ON "findings" USING btree ("report_id");--> statement-breakpoint
CREATE INDEX "findings_agency_year" ON "findings" USING btree ("agency_id","year");--> statement-breakpoint
CREATE INDEX "findings_rule" ON "findings" USING btree ("rule");--> statement-breakpoint
CREATE INDEX "reparse_changes_run" ON "reparse_changes" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "versions_report_sha" ON "report_versions" USING btree ("report_id","sha256");--> statement-breakpoint
CREATE INDEX "versions_report" ON "report_versions" USING btree ("report_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reports_agency_year" ON "reports" USING btree ("agency_id","year");