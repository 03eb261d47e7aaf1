CREATE TABLE "crawl_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"url" text NOT NULL,
	"title" text NOT NULL,
	"unit" text,
	"year" smallint,
	"listed_at" text,
	"first_seen_run" integer NOT NULL,
	"last_seen_run" integer NOT NULL,
	"gone_run" integer,
	"etag" text,
	"last_modified" text,
	"sha256" text,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "crawl_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"candidates" integer DEFAULT 0 NOT NULL,
	"inserted" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"unchanged" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"gone" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"notes" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crawl_sources" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region_code" text,
	"preset" text NOT NULL,
	"base_url" text NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"last_run_id" integer,
	"running_since" timestamp with time zone,
	"runner" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crawl_items" ADD CONSTRAINT "crawl_items_source_id_crawl_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."crawl_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crawl_items" ADD CONSTRAINT "crawl_items_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crawl_runs" ADD CONSTRAINT "crawl_runs_source_id_crawl_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."crawl_sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crawl_items_source_url" ON "crawl_items" USING btree ("source_id","url");--> statement-breakpoint
CREATE INDEX "crawl_runs_source" ON "crawl_runs" USING btree ("source_id","id");