CREATE TABLE "organisation" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"name" text DEFAULT 'ServiceReady' NOT NULL,
	"time_zone" text DEFAULT 'Asia/Shanghai' NOT NULL,
	CONSTRAINT "organisation_single_row" CHECK ("organisation"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "team_course_assignment" (
	"team_id" uuid NOT NULL,
	"course_slug" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"assigned_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_course_assignment_team_id_course_slug_pk" PRIMARY KEY("team_id","course_slug")
);
--> statement-breakpoint
ALTER TABLE "job" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job" ADD COLUMN "cancelled_by" uuid;--> statement-breakpoint
ALTER TABLE "job" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "team" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "time_zone" text;--> statement-breakpoint
ALTER TABLE "team_course_assignment" ADD CONSTRAINT "team_course_assignment_team_id_team_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."team"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_course_assignment" ADD CONSTRAINT "team_course_assignment_assigned_by_user_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_course_assignment_course_idx" ON "team_course_assignment" USING btree ("course_slug");--> statement-breakpoint
ALTER TABLE "job" ADD CONSTRAINT "job_cancelled_by_user_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_assignment_team_idx" ON "course_assignment" USING btree ("team_id","course_slug");--> statement-breakpoint
ALTER TABLE "job" ADD CONSTRAINT "job_cancelled" CHECK ("job"."cancelled_at" is null or ("job"."cancel_reason" is not null and "job"."assignee_id" is null));--> statement-breakpoint
INSERT INTO "organisation" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "team_course_assignment" ("team_id", "course_slug", "due_at", "assigned_by", "created_at")
SELECT DISTINCT ON ("team_id", "course_slug") "team_id", "course_slug", "due_at", "assigned_by", "created_at"
FROM "course_assignment" WHERE "team_id" IS NOT NULL
ORDER BY "team_id", "course_slug", "created_at"
ON CONFLICT DO NOTHING;
