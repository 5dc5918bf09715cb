/** One product: its fields, its channels, its variants and their prices; delete (or archive). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { unwrap } from '../../../kit/api.ts';
import { ConfirmDialog } from '../../../kit/overlay.tsx';
import { staffApi } from '../../../kit/session.tsx';
import { QueryState } from '../../../kit/states.tsx';
import { useToast } from '../../../kit/toaster.tsx';
import { Badge, Button } from '../../../kit/ui.tsx';
import { ChannelsCard } from './channels.tsx';
import { ProductForm } from './product-form.tsx';
import { keys, ownersAndManagers, ProblemText, type Product, statusTone } from './queries.tsx';
import { VariantsCard } from './variants.tsx';
import './catalog.css';

const DeleteButton = ({ product }: { product: Product }) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const qc = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const remove = useMutation({
    mutationFn: () =>
      unwrap(staffApi.DELETE('/admin/products/{id}', { params: { path: { id: product.id } } })),
    onSuccess: (r) => {
      setOpen(false);
      void qc.invalidateQueries({ queryKey: keys.products });
      if (r.result === 'deleted') {
        qc.removeQueries({ queryKey: keys.product(product.id) });
        toast(t('catalog.detail.deleted', { title: product.title }), 'success');
        navigate('/catalog');
      } else {
        void qc.invalidateQueries({ queryKey: keys.product(product.id) });
        toast(t('catalog.detail.archived', { title: product.title }), 'info');
      }
    },
    onError: (e) => {
      setOpen(false);
      toast(<ProblemText error={e} />, 'danger');
    },
  });
  const everPublished = product.channels.length > 0 || product.status === 'published';
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)} disabled={product.status === 'archived'}>
        {t('catalog.detail.delete')}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={t('catalog.detail.deleteTitle', { title: product.title })}
        description={t(everPublished ? 'catalog.detail.deleteArchives' : 'catalog.detail.deleteText')}
        confirmLabel={t('catalog.detail.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </>
  );
};

const ProductDetail = () => {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const query = useQuery({
    queryKey: keys.product(id),
    queryFn: () => unwrap(staffApi.GET('/admin/products/{id}', { params: { path: { id } } })),
  });
  return (
    <div className="pz-stack">
      <nav aria-label={t('catalog.detail.breadcrumb')}>
        <Link to="/catalog">{t('catalog.detail.back')}</Link>
      </nav>
      <QueryState query={query} lines={8}>
        {(p) => (
          <>
            <div className="pz-row">
              <h1>{p.title}</h1>
              <Badge tone={statusTone(p.status)}>{t(`catalog.status.${p.status}`)}</Badge>
              <span className="pz-spacer" />
              <DeleteButton product={p} />
            </div>
            <ProductForm product={p} />
            <ChannelsCard product={p} />
            <VariantsCard product={p} />
          </>
        )}
      </QueryState>
    </div>
  );
};

export default ownersAndManagers(ProductDetail);
