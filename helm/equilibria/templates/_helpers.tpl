{{/*
Names, labels and the pieces every Equilibria workload shares.
*/}}

{{- define "equilibria.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "equilibria.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "equilibria.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "equilibria.labels" -}}
helm.sh/chart: {{ include "equilibria.chart" . }}
app.kubernetes.io/name: {{ include "equilibria.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: equilibria
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component: (dict "root" $ "component" "gateway"). */}}
{{- define "equilibria.selectorLabels" -}}
app.kubernetes.io/name: {{ include "equilibria.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* All labels of one component's objects: (dict "root" $ "component" "gateway"). */}}
{{- define "equilibria.componentLabels" -}}
{{ include "equilibria.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
The five services: component name, Spring application (image) name, HTTP port. Ports match each service's
application.yml and the docker-compose stack.
*/}}
{{- define "equilibria.components" -}}
gateway:
  service: gateway-service
  port: 8080
prefill:
  service: prefill-service
  port: 8081
  worker: true
decode:
  service: decode-service
  port: 8082
  worker: true
allocator:
  service: allocator-service
  port: 8083
monitor:
  service: monitor-service
  port: 8084
{{- end }}

{{/* Image of a component: (dict "root" $ "service" "gateway-service" "image" .Values.gateway.image). */}}
{{- define "equilibria.image" -}}
{{- $root := .root }}
{{- $repository := .image.repository | default (printf "%s%s" $root.Values.image.repositoryPrefix .service) }}
{{- if $root.Values.image.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" $root.Values.image.registry) $repository }}
{{- end }}
{{- $tag := .image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* Kafka bootstrap address: the external one, else the in-release broker, else a clear failure. */}}
{{- define "equilibria.kafkaBootstrap" -}}
{{- if .Values.kafka.bootstrapServers }}
{{- .Values.kafka.bootstrapServers }}
{{- else if .Values.kafka.enabled }}
{{- printf "%s-kafka.%s.svc:9092" (include "equilibria.fullname" .) .Release.Namespace }}
{{- else }}
{{- fail "kafka: set kafka.bootstrapServers to your Kafka's bootstrap address (host:port[,host:port]), or kafka.enabled=true for a single-node trial broker in the release" }}
{{- end }}
{{- end }}

{{/* True (non-empty) when the release runs its own broker. */}}
{{- define "equilibria.inChartKafka" -}}
{{- if and .Values.kafka.enabled (not .Values.kafka.bootstrapServers) }}true{{ end }}
{{- end }}

{{/* Name of the Secret holding the admin token, empty when the admin API stays closed. */}}
{{- define "equilibria.adminTokenSecret" -}}
{{- if .Values.adminToken.existingSecret }}
{{- .Values.adminToken.existingSecret }}
{{- else if .Values.adminToken.create }}
{{- printf "%s-admin-token" (include "equilibria.fullname" .) }}
{{- end }}
{{- end }}

{{- define "equilibria.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "equilibria.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "equilibria.allocatorServiceAccountName" -}}
{{- printf "%s-allocator" (include "equilibria.fullname" .) }}
{{- end }}

{{/*
GPUs per worker must equal the profile's tensor-parallel degree, read from its name (-tpN-) or its alias.
Profiles named otherwise are not checked.
*/}}
{{- define "equilibria.checkGpuPerWorker" -}}
{{- if .Values.gpu.enabled }}
{{- $aliases := dict "70b-b200" 4 "340b-b200" 8 "8b-h100" 1 "8b-h200" 1 }}
{{- $profile := .Values.engine.profile }}
{{- $tp := 0 }}
{{- if hasKey $aliases $profile }}
{{- $tp = index $aliases $profile }}
{{- else }}
{{- $match := regexFind "-tp[0-9]+-" $profile }}
{{- if $match }}
{{- $tp = $match | trimPrefix "-tp" | trimSuffix "-" | atoi }}
{{- end }}
{{- end }}
{{- if and $tp (ne (int $tp) (int .Values.gpu.perWorker)) }}
{{- fail (printf "gpu.perWorker is %d, but engine.profile %s runs tensor-parallel over %d GPUs: set gpu.perWorker=%d" (int .Values.gpu.perWorker) $profile (int $tp) (int $tp)) }}
{{- end }}
{{- end }}
{{- end }}
