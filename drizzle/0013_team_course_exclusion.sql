CREATE TABLE "team_course_exclusion" (
	"team_id" uuid NOT NULL,
	"course_slug" text NOT NULL,
	"user_id" uuid NOT NULL,
	"removed_by" uuid,
	"removed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_course_exclusion_team_id_course_slug_user_id_pk" PRIMARY KEY("team_id","course_slug","user_id")
);
--> statement-breakpoint
ALTER TABLE "team_course_exclusion" ADD CONSTRAINT "team_course_exclusion_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_course_exclusion" ADD CONSTRAINT "team_course_exclusion_removed_by_user_id_fk" FOREIGN KEY ("removed_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_course_exclusion" ADD CONSTRAINT "team_course_exclusion_assignment_fk" FOREIGN KEY ("team_id","course_slug") REFERENCES "public"."team_course_assignment"("team_id","course_slug") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_course_exclusion_user_idx" ON "team_course_exclusion" USING btree ("user_id","course_slug");