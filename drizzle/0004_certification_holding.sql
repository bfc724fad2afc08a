CREATE TABLE "certification_holding" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"certification_id" text NOT NULL,
	"level" integer NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoke_reason" text,
	"renewed_from_id" uuid,
	"granted_by" uuid,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"verify_code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "certification_holding_verifyCode_unique" UNIQUE("verify_code")
);
--> statement-breakpoint
ALTER TABLE "certification_holding" ADD CONSTRAINT "certification_holding_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certification_holding" ADD CONSTRAINT "certification_holding_granted_by_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certification_holding_user_idx" ON "certification_holding" USING btree ("user_id","certification_id","granted_at");--> statement-breakpoint
CREATE INDEX "certification_holding_cert_idx" ON "certification_holding" USING btree ("certification_id","expires_at");