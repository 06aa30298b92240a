{{/* Names and labels. */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* The fewest and the most pods the chart runs. */}}
{{- define "sluice.minReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ int .Values.autoscaling.minReplicas }}{{ else }}{{ int .Values.replicaCount }}{{ end -}}
{{- end -}}

{{- define "sluice.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}{{ int .Values.autoscaling.maxReplicas }}{{ else }}{{ int .Values.replicaCount }}{{ end -}}
{{- end -}}

{{/* terminationGracePeriodSeconds: preStop sleep + shutdown_grace + margin. */}}
{{- define "sluice.terminationGrace" -}}
{{- add (int .Values.shutdown.preStopSleepSeconds) (int .Values.shutdown.graceSeconds) (int .Values.shutdown.marginSeconds) -}}
{{- end -}}

{{/*
Sluice's config: .Values.config with what the chart owns filled in (listening address, shutdown
grace, secrets as ${env:...} references, the store, Redis). Fails on combinations that cannot work.
*/}}
{{- define "sluice.config" -}}
{{- $v := .Values -}}
{{- if gt (int (include "sluice.maxReplicas" .)) 1 -}}
{{- if not $v.store.postgresql.existingSecret -}}
{{- fail "more than one replica needs store.postgresql.existingSecret (SQLite is one process's file)" -}}
{{- end -}}
{{- if not $v.redis.existingSecret -}}
{{- fail "more than one replica needs redis.existingSecret (limits, budgets, breakers and canaries are shared through Redis)" -}}
{{- end -}}
{{- end -}}
{{- $cfg := deepCopy ($v.config | default dict) -}}
{{- $server := deepCopy (get $cfg "server" | default dict) -}}
{{- range $key := list "host" "port" "shutdown_grace" "master_key" "metrics_key" -}}
{{- if hasKey $server $key -}}
{{- fail (printf "config.server.%s is set by the chart (port, shutdown.graceSeconds, masterKey, metricsKey): leave it out of config" $key) -}}
{{- end -}}
{{- end -}}
{{- range $key := list "store" "redis" -}}
{{- if hasKey $cfg $key -}}
{{- fail (printf "config.%s is set by the chart (store.postgresql, redis): leave it out of config" $key) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $server "host" "0.0.0.0" -}}
{{- $_ := set $server "port" (int $v.port) -}}
{{- $_ := set $server "shutdown_grace" (printf "%ds" (int $v.shutdown.graceSeconds)) -}}
{{- if $v.masterKey.existingSecret -}}
{{- $_ := set $server "master_key" "${env:SLUICE_MASTER_KEY}" -}}
{{- end -}}
{{- if $v.metricsKey.existingSecret -}}
{{- $_ := set $server "metrics_key" "${env:SLUICE_METRICS_KEY}" -}}
{{- end -}}
{{- $_ := set $cfg "server" $server -}}
{{- if $v.store.postgresql.existingSecret -}}
{{- $_ := set $cfg "store" (dict "url" "${env:SLUICE_STORE_URL}") -}}
{{- else -}}
{{- $_ := set $cfg "store" (dict "url" (printf "sqlite:%s" $v.store.sqlitePath)) -}}
{{- end -}}
{{- if $v.redis.existingSecret -}}
{{- $expected := int $v.redis.expectedReplicas -}}
{{- if lt $expected 1 -}}{{- $expected = int (include "sluice.minReplicas" .) -}}{{- end -}}
{{- $_ := set $cfg "redis" (dict "url" "${env:SLUICE_REDIS_URL}" "on_failure" $v.redis.onFailure "expected_replicas" (max $expected 1)) -}}
{{- end -}}
{{- toYaml $cfg -}}
{{- end -}}

{{/* The container's environment: secrets by reference only. */}}
{{- define "sluice.env" -}}
{{- if .Values.masterKey.existingSecret }}
- name: SLUICE_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.masterKey.existingSecret }}
      key: {{ .Values.masterKey.key }}
{{- end }}
{{- if .Values.metricsKey.existingSecret }}
- name: SLUICE_METRICS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.metricsKey.existingSecret }}
      key: {{ .Values.metricsKey.key }}
{{- end }}
{{- if .Values.store.postgresql.existingSecret }}
- name: SLUICE_STORE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.store.postgresql.existingSecret }}
      key: {{ .Values.store.postgresql.key }}
{{- end }}
{{- if .Values.redis.existingSecret }}
- name: SLUICE_REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.key }}
{{- end }}
{{- range .Values.secretEnv }}
- name: {{ required "secretEnv[].name" .name }}
  valueFrom:
    secretKeyRef:
      name: {{ required "secretEnv[].secretName" .secretName }}
      key: {{ required "secretEnv[].key" .key }}
      {{- if hasKey . "optional" }}
      optional: {{ .optional }}
      {{- end }}
{{- end }}
{{- if .Values.javaToolOptions }}
- name: JAVA_TOOL_OPTIONS
  value: {{ .Values.javaToolOptions | quote }}
{{- end }}
{{- with .Values.extraEnv }}
{{- toYaml . | nindent 0 }}
{{- end }}
{{- end -}}
