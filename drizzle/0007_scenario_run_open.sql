-- Unfinished duplicate runs (from simultaneous starts) keep only the newest, so the index can be made.
DELETE FROM "scenario_run" r USING "scenario_run" o WHERE r."finished_at" IS NULL AND o."finished_at" IS NULL AND r."user_id" = o."user_id" AND r."course_slug" = o."course_slug" AND r."scenario_id" = o."scenario_id" AND (r."started_at", r."id") < (o."started_at", o."id");--> statement-breakpoint
CREATE UNIQUE INDEX "scenario_run_open_idx" ON "scenario_run" USING btree ("user_id","course_slug","scenario_id") WHERE "scenario_run"."finished_at" is null;
