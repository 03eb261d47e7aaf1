CREATE TABLE "document_texts" (
	"sha256" text NOT NULL,
	"page" integer NOT NULL,
	"parser" text NOT NULL,
	"lines" integer NOT NULL,
	"text_gz" "bytea" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "page_images" (
	"sha256" text NOT NULL,
	"page" smallint NOT NULL,
	"png" "bytea" NOT NULL,
	"size" integer NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document_texts" ADD CONSTRAINT "document_texts_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "page_images" ADD CONSTRAINT "page_images_sha256_documents_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."documents"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_texts_page" ON "document_texts" USING btree ("sha256","page");--> statement-breakpoint
CREATE UNIQUE INDEX "page_images_page" ON "page_images" USING btree ("sha256","page");--> statement-breakpoint
CREATE INDEX "page_images_used" ON "page_images" USING btree ("used_at");