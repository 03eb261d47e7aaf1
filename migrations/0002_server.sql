CREATE TABLE "accounts" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"region_code" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "report_facts" (
	"report_id" integer PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"agency_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"region_code" text,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"format" text NOT NULL,
	"s2_ok" boolean NOT NULL,
	"s3_ok" boolean NOT NULL,
	"s4_ok" boolean NOT NULL,
	"deadline" text NOT NULL,
	"published_at" timestamp with time zone,
	"new_total" double precision,
	"carried_in" double precision,
	"granted" double precision,
	"partial" double precision,
	"denied" double precision,
	"unable" double precision,
	"refused" double precision,
	"other_handled" double precision,
	"closed" double precision,
	"carried_out" double precision,
	"review_total" double precision,
	"review_corrected" double precision,
	"suit_total" double precision,
	"suit_corrected" double precision,
	"rules_issued" double precision,
	"normative_issued" double precision,
	"licensing" double precision,
	"penalty" double precision,
	"coercion" double precision,
	"fees" double precision,
	"proactive_items" double precision
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"account_id" integer NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_region_code_regions_code_fk" FOREIGN KEY ("region_code") REFERENCES "public"."regions"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_facts" ADD CONSTRAINT "report_facts_report_id_reports_id_fk" FOREIGN KEY ("report_id") REFERENCES "public"."reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "facts_year_region" ON "report_facts" USING btree ("year","region_code");--> statement-breakpoint
CREATE INDEX "facts_agency" ON "report_facts" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "findings_year_active" ON "findings" USING btree ("year") WHERE "findings"."active";