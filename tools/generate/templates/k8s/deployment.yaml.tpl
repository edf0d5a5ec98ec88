# The __name__ service: stateless (state is in Postgres and JetStream), so it scales horizontally.
# Migrates schema `__schema__` at start.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vista-__name__
  labels:
    app.kubernetes.io/name: vista-__name__
    app.kubernetes.io/component: __name__
    app.kubernetes.io/part-of: vista
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: vista-__name__
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: vista-__name__
        app.kubernetes.io/component: __name__
        app.kubernetes.io/part-of: vista
      annotations:
        prometheus.io/scrape: 'true'
        prometheus.io/port: '__port__'
        prometheus.io/path: /metrics
    spec:
      # preStop (5 s) + finish in-flight commands, stop consuming, flush the outbox.
      terminationGracePeriodSeconds: 30
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
        runAsGroup: 1000
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: vista-__name__
      containers:
        - name: __name__
          image: vista-__name__
          imagePullPolicy: IfNotPresent
          ports:
            - name: http
              containerPort: __port__
          envFrom:
            - configMapRef:
                name: vista-platform
            - configMapRef:
                name: vista-__name__
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: vista-database
                  key: DATABASE_URL
          # Migrations run before the server listens: allow up to 2 minutes for the first start.
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 2
            failureThreshold: 60
          # Ready only while NATS and Postgres answer: the Service stops routing to it otherwise.
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: 5
            timeoutSeconds: 3
            failureThreshold: 3
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: 10
            timeoutSeconds: 3
            failureThreshold: 3
          lifecycle:
            preStop:
              # Give endpoints a few seconds to drop the pod before SIGTERM starts the drain.
              exec:
                command: ['sleep', '5']
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
            limits:
              cpu: 500m
              memory: 512Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ['ALL']
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
