CREATE TABLE "quiz_answer" (
	"attempt_id" uuid NOT NULL,
	"question_id" text NOT NULL,
	"response" jsonb NOT NULL,
	"saved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "quiz_answer_attempt_id_question_id_pk" PRIMARY KEY("attempt_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "quiz_attempt" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"course_slug" text NOT NULL,
	"quiz_id" text NOT NULL,
	"number" integer NOT NULL,
	"locale" text NOT NULL,
	"kind" text NOT NULL,
	"pass_mark" real NOT NULL,
	"review" text NOT NULL,
	"shuffle_options" boolean NOT NULL,
	"seed" text NOT NULL,
	"title" jsonb NOT NULL,
	"questions" jsonb NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"auto_submitted" boolean DEFAULT false NOT NULL,
	"score" real,
	"max_score" real,
	"percent" real,
	"passed" boolean,
	"by_tag" jsonb
);
--> statement-breakpoint
CREATE TABLE "quiz_item_result" (
	"attempt_id" uuid NOT NULL,
	"question_id" text NOT NULL,
	"score" real NOT NULL,
	"max" real NOT NULL,
	CONSTRAINT "quiz_item_result_attempt_id_question_id_pk" PRIMARY KEY("attempt_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "scenario_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"course_slug" text NOT NULL,
	"scenario_id" text NOT NULL,
	"locale" text NOT NULL,
	"node_id" text NOT NULL,
	"path" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"outcome" text,
	"percent" real,
	"passed" boolean,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "quiz_answer" ADD CONSTRAINT "quiz_answer_attempt_id_quiz_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."quiz_attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_attempt" ADD CONSTRAINT "quiz_attempt_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quiz_item_result" ADD CONSTRAINT "quiz_item_result_attempt_id_quiz_attempt_id_fk" FOREIGN KEY ("attempt_id") REFERENCES "public"."quiz_attempt"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenario_run" ADD CONSTRAINT "scenario_run_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "quiz_attempt_user_idx" ON "quiz_attempt" USING btree ("user_id","course_slug","quiz_id","number");--> statement-breakpoint
CREATE INDEX "quiz_attempt_quiz_idx" ON "quiz_attempt" USING btree ("course_slug","quiz_id","submitted_at");--> statement-breakpoint
CREATE INDEX "quiz_attempt_deadline_idx" ON "quiz_attempt" USING btree ("deadline_at") WHERE "quiz_attempt"."submitted_at" is null and "quiz_attempt"."deadline_at" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_attempt_open_idx" ON "quiz_attempt" USING btree ("user_id","course_slug","quiz_id") WHERE "quiz_attempt"."submitted_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "quiz_attempt_number_idx" ON "quiz_attempt" USING btree ("user_id","course_slug","quiz_id","number");--> statement-breakpoint
CREATE INDEX "scenario_run_user_idx" ON "scenario_run" USING btree ("user_id","course_slug","scenario_id","started_at");--> statement-breakpoint
CREATE INDEX "scenario_run_scenario_idx" ON "scenario_run" USING btree ("course_slug","scenario_id");