CREATE TABLE "course_due_notice" (
	"assignment_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "course_due_notice_assignment_id_due_at_pk" PRIMARY KEY("assignment_id","due_at")
);
--> statement-breakpoint
ALTER TABLE "outbox_message" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_message" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "course_due_notice" ADD CONSTRAINT "course_due_notice_assignment_id_course_assignment_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."course_assignment"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_message_kind_idx" ON "outbox_message" USING btree ("kind","created_at");--> statement-breakpoint
CREATE INDEX "outbox_message_send_idx" ON "outbox_message" USING btree ("next_attempt_at") WHERE "outbox_message"."sent_at" is null and "outbox_message"."next_attempt_at" is not null;