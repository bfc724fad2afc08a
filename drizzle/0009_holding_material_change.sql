ALTER TABLE "certification_holding" ADD COLUMN "renewal_due_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "certification_holding" ADD COLUMN "expires_before_change" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "certification_holding" ADD COLUMN "relearn" jsonb DEFAULT '[]'::jsonb NOT NULL;